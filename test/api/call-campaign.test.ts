// A call campaign on a controllable clock: recipients are placed on the call list only inside their call hours
// (weekdays 10:00–13:00 and 14:00–20:00 in their zone, no public holidays), agents claim calls only then, and a contact
// gets at most 4 call attempts in 30 days across campaigns. Outcomes are responses and conversions in the report; an
// opt-out ends the contact's call subscriptions; a Bloctel number is never placed.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../src/campaigns/sender.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTemplate, createTopic } from '../support/fixtures.js';

// Monday 7 December 2026, in Paris (UTC+1).
const paris = (day: number, hhmm: string) => new Date(`2026-12-${String(day).padStart(2, '0')}T${hhmm}:00+01:00`);
const state = { now: paris(7, '08:30') };
let t: TestApp;
let template: number;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => state.now });
  await createTopic(t, 'relance');
  template = await createTemplate(t, 'sms', { name: 'Script', channel: 'call', text: 'Bonjour {{first_name}}, avez-vous reçu notre catalogue ?' });
});
afterAll(async () => {
  await t?.close();
});

async function person(first_name: string, options: { subscribed?: boolean } = {}) {
  seq++;
  const res = await t.json('POST', '/v1/contacts', {
    first_name, phone: `+336123450${String(seq).padStart(2, '0')}`, timezone: 'Europe/Paris',
    subscriptions: [{ channel: 'call', topic: 'relance', status: options.subscribed === false ? 'unsubscribed' : 'subscribed' }],
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; phone: string };
}

async function launch(name: string, ids: number[]) {
  const list = await t.json('POST', '/v1/lists', { name });
  await t.json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: ids });
  const created = await t.json('POST', '/v1/campaigns', { name, channel: 'call', template_id: template, topic: 'relance', audience: { list_ids: [list.body.id] } });
  expect(created.status).toBe(201);
  expect((await t.json('POST', `/v1/campaigns/${created.body.id}/launch`)).status).toBe(202);
  await t.deps.background.idle();
  return created.body.id as number;
}

const calls = async (campaign: number) => (await t.json('GET', `/v1/campaigns/${campaign}/calls`)).body.data as Array<Record<string, unknown> & { id: number }>;
const campaign = async (id: number) => (await t.json('GET', `/v1/campaigns/${id}`)).body;

describe('a call campaign', () => {
  let anne: { id: number; phone: string };
  let id: number;
  let call: number;

  it('places a call only inside the contact\'s call hours, never for an opted-out or Bloctel number', async () => {
    anne = await person('Anne');
    const chloe = await person('Chloé', { subscribed: false });
    const denis = await person('Denis');
    expect((await t.json('POST', '/v1/suppressions', { channel: 'sms', address: denis.phone, reason: 'bloctel' })).status).toBe(422);
    expect((await t.json('POST', '/v1/suppressions', { channel: 'call', address: denis.phone, reason: 'bloctel' })).status).toBe(201);
    // 08:30 on a Monday: too early; Anne waits for 10:00.
    id = await launch('Relance catalogue', [anne.id, chloe.id, denis.id]);
    expect((await campaign(id)).counts).toMatchObject({ sent: 0, deferred: 1, skipped: { unsubscribed: 1, suppressed: 1 } });
    expect(await calls(id)).toEqual([]);
    state.now = paris(7, '10:05');
    await sendCampaign(t.deps, id);
    const list = await calls(id);
    expect(list).toEqual([expect.objectContaining({
      contact_id: anne.id, name: 'Anne', phone: anne.phone, script: 'Bonjour Anne, avez-vous reçu notre catalogue ?', status: 'open',
      local_time: '2026-12-07 10:05', timezone: 'Europe/Paris', callable_now: true, opens_at: null, attempts: 0,
    })]);
    call = list[0].id;
    expect((await campaign(id)).counts).toMatchObject({ sent: 1 });
  });

  it('lets agents claim a call only inside call hours: not over lunch, weekends or public holidays', async () => {
    state.now = paris(7, '13:30');
    const lunch = await t.json('POST', `/v1/calls/${call}/claim`);
    expect(lunch.status).toBe(409);
    expect(lunch.body.error.details).toMatchObject({ reason: 'outside_call_hours', opens_at: paris(7, '14:00').toISOString() });
    state.now = paris(12, '11:00'); // Saturday
    expect((await t.json('POST', `/v1/calls/${call}/claim`)).body.error.details.opens_at).toBe(paris(14, '10:00').toISOString());
    state.now = paris(25, '11:00'); // Christmas, a Friday
    expect((await t.json('POST', `/v1/calls/${call}/claim`)).body.error.details.opens_at).toBe(paris(28, '10:00').toISOString());
    state.now = paris(7, '14:00');
    const claimed = await t.json('POST', `/v1/calls/${call}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimed_by: 'admin', claimed_until: new Date(paris(7, '14:00').getTime() + 15 * 60_000).toISOString() });
    // Another agent cannot take it, nor record on it, while it is claimed.
    const other = await t.json('POST', `/v1/calls/${call}/claim`, undefined, { key: t.keys.marketer });
    expect([other.status, other.body.error.details.reason]).toEqual([409, 'claimed']);
    expect((await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'reached' }, { key: t.keys.marketer })).status).toBe(409);
  });

  it('records outcomes: a call-back returns the call to the list, an order is a reply and a conversion, a retry is answered once', async () => {
    const bad = await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'ordered' });
    expect(bad.body.error.details).toEqual([{ field: 'value', message: 'an order has a value' }]);
    const later = paris(8, '18:00').toISOString();
    const back = await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'callback', callback_at: later, note: 'Rappeler demain soir' });
    expect(back.status).toBe(201);
    expect(back.body.call).toMatchObject({ status: 'open', callback_at: later, attempts: 1, callable_now: false });
    expect((await t.json('POST', `/v1/calls/${call}/claim`)).body.error.details).toMatchObject({ reason: 'callback_later', callback_at: later });
    state.now = paris(8, '18:00');
    expect((await t.json('POST', `/v1/calls/${call}/claim`)).status).toBe(200);
    const ordered = await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'ordered', value: 129.9, note: 'Service de 12 assiettes' });
    expect(ordered.status).toBe(201);
    expect(ordered.body.call).toMatchObject({ status: 'done', outcome: 'ordered', attempts: 2 });
    expect((await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'ordered', value: 129.9 })).status).toBe(200);
    expect((await t.json('POST', `/v1/calls/${call}/outcome`, { outcome: 'refused' })).status).toBe(409);
    const report = (await t.json('GET', `/v1/campaigns/${id}/report`)).body;
    // The call-back and the order are the contact's responses (one recipient who replied); the order is the call's conversion.
    expect(report.engagement).toMatchObject({ replies: 1, conversions: { count: 1, revenue: 129.9 } });
    const csv = await t.call('GET', `/v1/campaigns/${id}/calls`, undefined, { headers: { accept: 'text/csv' } });
    const rows = parse(await csv.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    // A cell starting with + is prefixed with ' (the exports' guard against spreadsheet formulas), as in every export.
    expect(rows.map((r) => [r.name, r.phone, r.status, r.outcome, r.attempts])).toEqual([['Anne', `'${anne.phone}`, 'done', 'ordered', '2']]);
  });

  it('unsubscribes from calls a contact who opts out on the phone', async () => {
    state.now = paris(9, '10:30');
    const eric = await person('Éric');
    const c = await launch('Opt-out', [eric.id]);
    const [only] = await calls(c);
    // An outcome is the claiming agent's: without a claim, none is recorded (nor any call rule bypassed).
    expect((await t.json('POST', `/v1/calls/${only.id}/outcome`, { outcome: 'opted_out' })).body.error.details).toMatchObject({ reason: 'not_claimed' });
    expect((await t.json('POST', `/v1/calls/${only.id}/claim`)).status).toBe(200);
    expect((await t.json('POST', `/v1/calls/${only.id}/outcome`, { outcome: 'opted_out' })).status).toBe(201);
    const subs = (await t.json('GET', `/v1/contacts/${eric.id}`)).body.subscriptions;
    expect(subs).toEqual([expect.objectContaining({ channel: 'call', topic: 'relance', status: 'unsubscribed' })]);
  });

  it('does not call again for 60 days someone who refused, whatever the campaign', async () => {
    state.now = paris(9, '11:00');
    const hugo = await person('Hugo');
    const [first] = await calls(await launch('Refus 1', [hugo.id]));
    expect((await t.json('POST', `/v1/calls/${first.id}/claim`)).status).toBe(200);
    expect((await t.json('POST', `/v1/calls/${first.id}/outcome`, { outcome: 'refused' })).status).toBe(201);
    state.now = paris(10, '11:00');
    const [second] = await calls(await launch('Refus 2', [hugo.id]));
    expect((await t.json('POST', `/v1/calls/${second.id}/claim`)).body.error.details).toEqual({ reason: 'refused_recently' });
  });

  it('gives the contact their calls in an access request, and erases number, script and notes', async () => {
    const exported = (await t.json('GET', `/v1/contacts/${anne.id}/export`)).body;
    expect(exported.calls).toEqual([expect.objectContaining({
      id: call, phone: anne.phone, script: 'Bonjour Anne, avez-vous reçu notre catalogue ?', status: 'done', outcome: 'ordered',
      attempts: [
        expect.objectContaining({ agent: 'admin', outcome: 'callback', note: 'Rappeler demain soir' }),
        expect.objectContaining({ agent: 'admin', outcome: 'ordered', value: 129.9, note: 'Service de 12 assiettes' }),
      ],
    })]);
    expect((await t.call('DELETE', `/v1/contacts/${anne.id}`)).status).toBe(204);
    const [erased] = await calls(id);
    expect(erased).toMatchObject({ contact_id: null, phone: null, script: '', outcome: 'ordered' });
  });
});

describe('the 4-in-30-days rule', () => {
  it('places at most 4 calls to a contact in 30 days, across campaigns, and again once the oldest is 30 days old', async () => {
    const fanny = await person('Fanny');
    const placed: Array<number | undefined> = [];
    for (const [i, day] of [14, 15, 16, 17, 18].entries()) {
      state.now = paris(day, '10:30');
      const c = await launch(`Vague ${i + 1}`, [fanny.id]);
      placed.push((await calls(c))[0]?.id);
      if (i === 4) expect((await campaign(c)).counts).toMatchObject({ sent: 0, skipped: { capped: 1 } });
    }
    expect(placed.filter(Boolean)).toHaveLength(4);
    // 30 days after the first (Wednesday 13 January 2027), one more.
    state.now = new Date('2027-01-13T10:31:00+01:00');
    const again = await launch('Vague 6', [fanny.id]);
    expect(await calls(again)).toHaveLength(1);
  });

  it('refuses a claim once the contact has had 4 attempts in 30 days, call-backs included', async () => {
    state.now = paris(21, '10:00');
    const gus = await person('Gus');
    const first = await launch('Rappels', [gus.id]);
    const [only] = await calls(first);
    for (let n = 0; n < 4; n++) {
      state.now = new Date(paris(21, '10:00').getTime() + n * 3_600_000);
      if (state.now.getUTCHours() === 12) state.now = new Date(state.now.getTime() + 3_600_000); // 13:00–14:00 is lunch
      expect((await t.json('POST', `/v1/calls/${only.id}/claim`)).status).toBe(200);
      const at = new Date(state.now.getTime() + 3_600_000).toISOString();
      expect((await t.json('POST', `/v1/calls/${only.id}/outcome`, { outcome: 'callback', callback_at: at })).status).toBe(201);
    }
    state.now = paris(22, '11:00');
    const capped = await t.json('POST', `/v1/calls/${only.id}/claim`);
    expect([capped.status, capped.body.error.details]).toEqual([409, { reason: 'capped', rule: 'call: 4 per 30 days' }]);
  });

  it('counts a call another agent holds: two agents on two campaigns cannot take the 4th and 5th attempts', async () => {
    state.now = paris(21, '15:00');
    const iris = await person('Iris');
    const [a] = await calls(await launch('Agents A', [iris.id]));
    const [b] = await calls(await launch('Agents B', [iris.id]));
    for (let n = 0; n < 3; n++) {
      expect((await t.json('POST', `/v1/calls/${a.id}/claim`)).status).toBe(200);
      expect((await t.json('POST', `/v1/calls/${a.id}/outcome`, { outcome: 'callback', callback_at: new Date(state.now.getTime() + 60_000).toISOString() })).status).toBe(201);
      state.now = new Date(state.now.getTime() + 60_000);
    }
    // Three attempts made; the admin takes the 4th on one campaign, and the marketer cannot take a 5th on the other.
    expect((await t.json('POST', `/v1/calls/${a.id}/claim`)).status).toBe(200);
    const other = await t.json('POST', `/v1/calls/${b.id}/claim`, undefined, { key: t.keys.marketer });
    expect([other.status, other.body.error.details.reason]).toEqual([409, 'capped']);
  });
});
