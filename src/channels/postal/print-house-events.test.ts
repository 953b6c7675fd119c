import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '../webhook/signature.js';
import { readPrintHouseEvent, RETURNED_REASON } from './print-house-events.js';

const secret = newWebhookSecret();
const now = new Date('2026-03-02T10:00:00Z');

function callback(type: string, data: Record<string, unknown> = {}, options: { at?: Date; key?: string } = {}) {
  const body = JSON.stringify({ type, data: { id: 'ltr_1', reference: 'msg1abc', at: '2026-03-01T08:30:00Z', ...data } });
  return { body, headers: signWebhook(options.key ?? secret, 'evt_1', options.at ?? now, body) };
}

describe('readPrintHouseEvent', () => {
  it('reads a delivered letter: its id at the print house, when, and our reference', async () => {
    const { body, headers } = callback('letter.delivered');
    expect(await readPrintHouseEvent(body, headers, secret, now)).toEqual({
      id: 'evt_1', reference: 'msg1abc',
      event: { type: 'delivery', recipients: [], providerMessageId: 'ltr_1', at: new Date('2026-03-01T08:30:00Z') },
    });
  });

  it('reads a returned letter as a permanent bounce, with its reason or the usual one', async () => {
    const given = callback('letter.returned', { reason: 'Refusé par le destinataire' });
    expect(await readPrintHouseEvent(given.body, given.headers, secret, now)).toMatchObject({
      event: { type: 'bounce', permanent: true, recipients: [], providerMessageId: 'ltr_1' }, reason: 'Refusé par le destinataire',
    });
    const none = callback('letter.returned');
    expect(await readPrintHouseEvent(none.body, none.headers, secret, now)).toMatchObject({ reason: RETURNED_REASON });
  });

  it('reads printed and posted as other events, and a type it does not know too (answered, not retried)', async () => {
    for (const type of ['letter.printed', 'letter.posted', 'letter.scanned']) {
      const { body, headers } = callback(type);
      expect(await readPrintHouseEvent(body, headers, secret, now)).toMatchObject({ event: { type: 'other', name: type, providerMessageId: 'ltr_1' } });
    }
  });

  it('takes Headers as well as a record, whatever the case of the names', async () => {
    const { body, headers } = callback('letter.posted');
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await readPrintHouseEvent(body, new Headers(headers), secret, now)).toMatchObject({ id: 'evt_1' });
    expect(await readPrintHouseEvent(body, upper, secret, now)).toMatchObject({ id: 'evt_1' });
  });

  it('leaves out a time it cannot read', async () => {
    const { body, headers } = callback('letter.delivered', { at: 'yesterday' });
    const read = await readPrintHouseEvent(body, headers, secret, now);
    expect('event' in read && 'at' in read.event).toBe(false);
  });

  it('refuses a bad signature, a changed body, a stale timestamp, no signature', async () => {
    const other = callback('letter.delivered', {}, { key: newWebhookSecret() });
    expect(await readPrintHouseEvent(other.body, other.headers, secret, now)).toEqual({ refused: 'bad signature' });
    const good = callback('letter.delivered');
    expect(await readPrintHouseEvent(good.body.replace('ltr_1', 'ltr_2'), good.headers, secret, now)).toEqual({ refused: 'bad signature' });
    const stale = callback('letter.delivered', {}, { at: new Date(now.getTime() - 301_000) });
    expect(await readPrintHouseEvent(stale.body, stale.headers, secret, now)).toEqual({ refused: 'stale timestamp' });
    expect(await readPrintHouseEvent(good.body, {}, secret, now)).toEqual({ refused: 'unsigned' });
  });

  it('refuses a signed body that is not an event', async () => {
    const notJson = 'not json';
    expect(await readPrintHouseEvent(notJson, signWebhook(secret, 'evt_2', now, notJson), secret, now)).toEqual({ refused: 'not JSON' });
    const noReference = JSON.stringify({ type: 'letter.delivered', data: { id: 'ltr_1' } });
    expect(await readPrintHouseEvent(noReference, signWebhook(secret, 'evt_3', now, noReference), secret, now)).toEqual({ refused: expect.stringMatching(/data\.reference/) });
  });
});
