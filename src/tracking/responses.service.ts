// Responses to messages: SMS and email replies, reply-coupon codes (the postal channel), call outcomes later. Each is
// kept once by its key and counted as a reply of its message's campaign.
import type { Executor as Db } from '../db/transaction.js';
import { inTransaction } from '../db/transaction.js';
import { findMessagesByIds, findMessagesByPublicIds } from '../delivery/index.js';
import { NotFoundError, InvalidInputError } from '../errors.js';
import { applyEngagement } from './engagement.js';
import { findCodesOfMessages, findResponseCode, insertResponse, insertResponseCodes, type ResponseRow } from './responses.repository.js';

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

/** A message's reply-coupon code (31^8 ≈ 8.5e11 codes; a taken one is drawn again): the one it has, or a new one. */
export async function issueResponseCode(db: Db, messageId: number): Promise<string> {
  return (await responseCodesFor(db, [messageId])).get(messageId)!;
}

/**
 * Each message's reply-coupon code: the one it has (a letter printed again), or a new one; two statements for a batch.
 * A message has one code (unique): two senders printing it at once both read the one that was kept.
 */
export async function responseCodesFor(db: Db, messageIds: number[]): Promise<Map<number, string>> {
  let codes = await findCodesOfMessages(db, messageIds);
  // A drawn code already taken (one chance in billions a letter) is drawn again.
  for (let round = 0; round < 5; round++) {
    const missing = messageIds.filter((id) => !codes.has(id));
    if (!missing.length) return codes;
    await insertResponseCodes(db, missing.map((message_id) => ({ message_id, code: drawCode() })));
    codes = await findCodesOfMessages(db, messageIds);
  }
  throw new Error('Could not draw reply-coupon codes');
}

function drawCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** The reply-coupon code of a message, if it has one (the page a scanned QR code opens). */
export async function codeOfMessage(db: Db, messageId: number): Promise<string | undefined> {
  return (await findCodesOfMessages(db, [messageId])).get(messageId);
}

/**
 * A letter's reply coupon scanned (its QR code opened): the coupon's response, counted once with the code typed in
 * through the API. Undefined when the message is gone (erased).
 */
export async function recordScannedCoupon(db: Db, publicId: string, at: Date): Promise<RecordedResponse | undefined> {
  const [found] = await findMessagesByPublicIds(db, [publicId]);
  if (!found) return undefined;
  const code = await codeOfMessage(db, found.id);
  const [message] = await findMessagesByIds(db, [found.id]);
  if (!message) return undefined;
  return recordResponse(db, message, { key: code ? `coupon:${code}` : `coupon:${publicId}`, kind: 'coupon', code: code ?? null, properties: { via: 'qr' }, at });
}
