// A postal batch's hand-over: every letter still allowed (the recipients read again) is printed into one PDF with
// its manifest and handed to the postal transport at once. The batch is the unit: all its letters are sent, or
// none are (an error of the transport is every letter's).
import { handOverLetters, type EmailContent, type PostalResult } from '../channels/index.js';
import { postalAddressBlock } from '../contacts/index.js';
import type { RecipientRow, SentOutcome } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { langOf } from '../i18n/index.js';
import { signedLink } from '../links/index.js';
import { responseCodesFor } from '../tracking/index.js';

export interface Letter {
  message: { id: number; public_id: string };
  recipient: RecipientRow;
  address: string;
  content: EmailContent;
}

/**
 * Prints and hands over the letters whose recipients `current()` still allows; the others are `skip`ped with their
 * reason. With `coupon`, each letter carries its reply-coupon code (kept from an earlier print) and a QR code of its
 * signed response URL. Throws what the transport threw, for every letter handed over.
 */
export async function sendLetters(
  deps: Deps,
  secret: string,
  campaign: { id: number | string; topic_id: number | string | null; reply_coupon: boolean },
  letters: Letter[],
  current: () => Promise<Map<number, RecipientRow>>,
  skip: (letter: Letter, reason: string) => void,
): Promise<{ sent: SentOutcome[]; handedOver: Letter[]; error?: unknown }> {
  const { db, config } = deps;
  const now = await current();
  const going = letters.filter((l) => {
    const row = now.get(l.recipient.id);
    if (!row || row.reason) skip(l, row?.reason ?? 'contact_deleted');
    return row && !row.reason;
  });
  if (!going.length) return { sent: [], handedOver: [] };
  const codes = campaign.reply_coupon ? await responseCodesFor(db, going.map((l) => l.message.id)) : new Map<number, string>();
  const prepared = await Promise.all(going.map(async (l) => {
    const code = codes.get(l.message.id);
    const claims = { contactId: l.recipient.id, messageId: l.message.public_id, topicId: Number(campaign.topic_id) };
    return {
      content: l.content,
      envelope: {
        messageId: l.message.public_id, to: l.address,
        letter: {
          contactId: l.recipient.id, lang: langOf(l.recipient.locale),
          lines: postalAddressBlock(l.recipient, config.postal.country) ?? [l.address],
          ...(code ? { coupon: { code, url: await signedLink(secret, config.publicUrl, { purpose: 'coupon', ...claims }) } } : {}),
        },
      },
    };
  }));
  // The same batch printed again (a retry, a redelivery) has the same key, so it replaces its files and uploads.
  // Named after its letters: the same set again (a retry, a redelivery) is the same key, and another set another key
  // (the print house prints a reference once: docs/PRINT-HOUSE.md). The first letter's public id (random) keeps it
  // unique across databases sharing a print-house account.
  const first = going.reduce((a, b) => (b.message.id < a.message.id ? b : a));
  const key = `${campaign.id}-${first.message.public_id}-${await shortHash(going.map((l) => l.message.public_id).sort().join(','))}`;
  let result: PostalResult;
  try {
    result = await handOverLetters(deps.transports, key, prepared, { window: config.postal.window, duplex: config.postal.duplex, returnAddress: config.postal.returnAddress });
  } catch (error) {
    return { sent: [], handedOver: going, error };
  }
  const at = deps.clock();
  return {
    handedOver: going,
    sent: going.map((l) => ({ id: l.message.id, address: l.address, provider_message_id: result.letters[l.message.public_id] ?? result.providerMessageId, at })),
  };
}

async function shortHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
