// Email replies: marketing email says Reply-To: reply+<public id>-<MAC>@REPLY_DOMAIN (campaigns/sender.ts), so a
// reply names its message. It arrives through SES inbound (an SNS notification) or a generic JSON POST, and is kept
// as a response of that message, counted in its campaign's report. Out-of-office answers are not replies.
import { readInboundMail } from '../channels/index.js';
import type { Executor as Db } from '../db/transaction.js';
import { findMessagesByIds, findMessagesByPublicIds } from '../delivery/index.js';
import { verifyReplyAddress, withRecentSecret } from '../links/index.js';
import { recordResponse } from '../tracking/index.js';

export interface InboundEmail {
  /** Every address it was sent to: the reply address is one of them. */
  recipients: string[];
  from: string | null;
  subject: string | null;
  text: string;
  automatic: boolean;
  /** Names the email for good (the provider's id, else its Message-ID): a redelivery records nothing more. */
  key: string;
}

export type InboundEmailAction = 'reply' | 'automatic' | 'unknown_recipient';

/** Links an inbound email to the message its reply address names, and records it as a reply. */
export async function handleInboundEmail(db: Db, mail: InboundEmail, at: Date): Promise<{ action: InboundEmailAction; duplicate?: true }> {
  let publicId: string | undefined;
  for (const address of mail.recipients.slice(0, 50)) {
    publicId = await withRecentSecret(db, (secret) => verifyReplyAddress(secret, address));
    if (publicId) break;
  }
  const [found] = publicId ? await findMessagesByPublicIds(db, [publicId]) : [];
  if (!found) return { action: 'unknown_recipient' };
  if (mail.automatic) return { action: 'automatic' };
  const [message] = await findMessagesByIds(db, [found.id]);
  const recorded = await recordResponse(db, message, {
    key: mail.key, kind: 'reply', channel: 'email', body: mail.text, at,
    properties: { ...(mail.subject ? { subject: mail.subject.slice(0, 500) } : {}), ...(mail.from ? { from: mail.from.slice(0, 320) } : {}) },
  });
  return recorded.duplicate ? { action: 'reply', duplicate: true } : { action: 'reply' };
}

/** The same from a MIME source (SES inbound). */
export async function handleInboundMime(db: Db, raw: string, recipients: string[], key: string, at: Date) {
  const mail = await readInboundMail(raw);
  return handleInboundEmail(db, { ...mail, recipients, key }, at);
}
