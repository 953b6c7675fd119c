// Responses to messages: SMS and email replies, reply-coupon codes (the postal channel), call outcomes later. Each is
// kept once by its key and counted as a reply of its message's campaign.
import type { Executor as Db } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import { findMessagesByIds, findMessagesByPublicIds } from '../delivery/index.js';
import { NotFoundError, InvalidInputError } from '../errors.js';
import { applyEngagement } from './engagement.js';
import { findResponseCode, insertResponse, insertResponseCode, type ResponseRow } from './responses.repository.js';

export type ResponseKind = ResponseRow['kind'];
export const RESPONSE_KINDS = ['reply', 'coupon', 'call', 'other'] as const satisfies readonly ResponseKind[];

export interface ResponseInput {
  /** Names the response for good: the same key again records nothing (a replayed webhook or API call). */
  key: string;
  kind: ResponseKind;
  body?: string | null;
  code?: string | null;
  properties?: Record<string, unknown>;
  at: Date;
}

interface MessageRef {
  id: number;
  channel: string;
  campaignId: number | null;
  contactId: number | null;
}

export interface RecordedResponse {
  id: number;
  duplicate: boolean;
  message_id: string | null;
  campaign_id: number | null;
  contact_id: number | null;
  kind: ResponseKind;
}

/** Records a response to a message (or to none: a reply from a known number with nothing sent lately). */
export async function recordResponse(db: Db, message: (MessageRef & { publicId?: string | null }) | undefined, input: ResponseInput & { channel?: string; contactId?: number | null }): Promise<RecordedResponse> {
  return inTransaction(db, async (trx) => {
    const kept = await insertResponse(trx, {
      response_key: input.key, message_id: message?.id ?? null, campaign_id: message?.campaignId ?? null,
      contact_id: message?.contactId ?? input.contactId ?? null, channel: message?.channel ?? input.channel ?? 'other', kind: input.kind,
      body: input.body ?? null, code: input.code ?? null, properties: input.properties ?? {}, occurred_at: input.at,
    });
    if (!kept.duplicate && message) {
      await applyEngagement(trx, [{ messageId: message.id, campaignId: message.campaignId, contactId: message.contactId, metric: 'reply', at: input.at }]);
    }
    return {
      id: kept.id, duplicate: kept.duplicate, message_id: message?.publicId ?? null, campaign_id: message?.campaignId ?? null,
      contact_id: message?.contactId ?? input.contactId ?? null, kind: input.kind,
    };
  });
}

/** A reply-coupon code as printed on a letter: the response of its message. */
export async function recordCouponResponse(db: Db, code: string, input: Omit<ResponseInput, 'kind' | 'code'>): Promise<RecordedResponse> {
  const normalised = normaliseCode(code);
  const messageId = normalised ? await findResponseCode(db, normalised) : undefined;
  if (messageId === undefined) throw new InvalidInputError('Unknown reply code', [{ field: 'code', message: 'no letter carries this code' }]);
  const [message] = await findMessagesByIds(db, [messageId]);
  if (!message) throw new InvalidInputError('Unknown reply code', [{ field: 'code', message: 'the letter of this code no longer exists' }]);
  return recordResponse(db, message, { ...input, kind: 'coupon', code: normalised });
}

/** A response named by its message's public id. */
export async function recordMessageResponse(db: Db, publicId: string, input: ResponseInput): Promise<RecordedResponse> {
  const [found] = await findMessagesByPublicIds(db, [publicId]);
  if (!found) throw new NotFoundError('Message', publicId);
  const [message] = await findMessagesByIds(db, [found.id]);
  return recordResponse(db, message, input);
}

// Codes are read off paper and typed by people: no 0/O or 1/I/L to confuse, case and spaces ignored.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

export function normaliseCode(code: string): string | undefined {
  const c = code.toUpperCase().replace(/[\s-]/g, '');
  return c.length === CODE_LENGTH && [...c].every((ch) => CODE_ALPHABET.includes(ch)) ? c : undefined;
}

/** Gives a message its reply-coupon code (31^8 ≈ 8.5e11 codes; a taken one is drawn again). */
export async function issueResponseCode(db: Db, messageId: number): Promise<string> {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
    const code = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
    if (await insertResponseCode(db, code, messageId)) return code;
  }
}
