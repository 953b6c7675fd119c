// The print house's status callbacks (docs/PRINT-HOUSE.md), read into a DeliveryEvent: the only place that knows
// their format. Signed with Standard Webhooks headers under PRINT_HOUSE_WEBHOOK_SECRET; the body is
//   { "type": "letter.printed" | "letter.posted" | "letter.delivered" | "letter.returned",
//     "data": { "id": "<letter id>", "reference": "<our message id>", "at": "<ISO time>", "reason"?: "..." } }
import { z } from 'zod';
import type { DeliveryEvent } from '../types.js';
import { verifyWebhook } from '../webhook/signature.js';

/** A returned letter with no reason given: the post's usual one ("NPAI"). */
export const RETURNED_REASON = "N'habite pas à l'adresse indiquée";

const TOLERANCE_SECONDS = 300;

const eventSchema = z.object({
  type: z.string().min(1).max(100),
  data: z.object({
    id: z.string().min(1).max(200),
    reference: z.string().min(1).max(200),
    at: z.string().max(100).optional(),
    reason: z.string().max(500).optional(),
  }),
});

export interface PrintHouseEvent {
  /** The callback's webhook-id: the same when the print house sends it again, so it is processed once. */
  id: string;
  event: DeliveryEvent;
  /** Our message id, as the batch's manifest gave it: finds the letter even when its id at the print house is unknown. */
  reference: string;
  /** Why a letter came back (letter.returned only). */
  reason?: string;
}

/**
 * Reads one callback. Refused (with why, for the log): a bad or missing signature, a timestamp more than five minutes
 * away (a replay), a body that is not an event. An event type we do not know is read as `other`, so the print house
 * is answered 2xx and stops sending it. Throws only when `secret` is not a whsec_ secret (configuration).
 */
export async function readPrintHouseEvent(
  rawBody: string, headers: Headers | Record<string, string>, secret: string, now: Date,
): Promise<PrintHouseEvent | { refused: string }> {
  const h = lowerCased(headers);
  const timestamp = Number(h['webhook-timestamp']);
  if (!h['webhook-id'] || !h['webhook-signature'] || !/^\d{1,12}$/.test(h['webhook-timestamp'] ?? '')) return { refused: 'unsigned' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) return { refused: 'stale timestamp' };
  if (!verifyWebhook(secret, h, rawBody, now, TOLERANCE_SECONDS)) return { refused: 'bad signature' };

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { refused: 'not JSON' };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return { refused: `not a print-house event: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}` };
  const { type, data } = parsed.data;
  const at = data.at ? new Date(data.at) : undefined;
  // The letter's id at the print house is what the transport answered for it (PostalResult.letters).
  const ref = { providerMessageId: data.id, ...(at && !Number.isNaN(at.getTime()) ? { at } : {}) };
  const base = { id: h['webhook-id'], reference: data.reference };
  // Postal addresses are not on the suppression list: no recipients to name.
  if (type === 'letter.delivered') return { ...base, event: { type: 'delivery', recipients: [], ...ref } };
  if (type === 'letter.returned') {
    return { ...base, event: { type: 'bounce', permanent: true, recipients: [], ...ref }, reason: data.reason?.trim() || RETURNED_REASON };
  }
  return { ...base, event: { type: 'other', name: type, ...ref } };
}

function lowerCased(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v]));
}
