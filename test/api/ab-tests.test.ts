// A/B tests (issue 11): the split of the audience (exact sizes, each recipient's variant computed here from the
// documented order), each variant's content, engagement through the real tracking routes (a machine open never
// counts), the automatic winner once its time has come, the rest sent exactly the winner, the manual pick (once),
// the 422s for bad definitions, and the report per variant with the winner marked; on a movable clock.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abTestRoutes, campaignRoutes } from '../../src/campaigns/index.js';
import { everyMinute } from '../../src/jobs.js';
import { errorFields, expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createTemplate, createTopic, getCampaign, importContacts, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, hit, sentMails, type SentMail } from '../support/tracking.js';

// Tuesday 3 March 2026, 10:00 UTC: email has no quiet hours by default.
const NOW = new Date('2026-03-03T10:00:00.000Z');
const MINUTE = 60_000;
let clock = NOW;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

let t: TestApp;
let templateA: number;
let templateB: number;

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  templateA = await createTemplate(t, 'email', { name: 'A', subject: 'Offer A', mjml: mjml('<a href="https://shop.example/a">Shop A</a>') });
  templateB = await createTemplate(t, 'email', { name: 'B', subject: 'Offer B', mjml: mjml('<a href="https://shop.example/b">Shop B</a>') });
});
afterAll(() => t.close());

/** `n` contacts `${prefix}-<i>@example.fr` subscribed to `topic` (a topic of their own); their ids by email. */
async function audience(topic: string, prefix: string, n: number) {
  await createTopic(t, topic);
  const csv = ['email;email_topics', ...Array.from({ length: n }, (_, i) => `${prefix}-${i}@example.fr;${topic}`)];
  expect((await importContacts(t, csv.join('\n'))).created).toBe(n);
  const rows = await t.deps.db.selectFrom('contacts').select(['id', 'email']).where('email', 'like', `${prefix}-%`).execute();
  return new Map(rows.map((r) => [r.email!, Number(r.id)]));
}

/** The documented split, computed here: eligible contacts by md5('<campaign>:<contact>'), the first `size` round-robin. */
function expectedVariants(campaign: number, contacts: Map<string, number>, size: number, variants: number) {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const order = [...contacts].sort(([, a], [, b]) => (md5(`${campaign}:${a}`) < md5(`${campaign}:${b}`) ? -1 : 1));
  return new Map(order.map(([email], k) => [email, k < size ? (k % variants) + 1 : null]));
}

const ledger = async (campaign: number) => {
  const rows = await t.deps.db.selectFrom('messages').innerJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select(['contacts.email', 'messages.variant', 'messages.ab_rest', 'messages.status', 'messages.deferred_by', 'messages.skip_reason'])
    .where('campaign_id', '=', campaign).execute();
  return new Map(rows.map((r) => [r.email!, r]));
};
const mailsTo = async (prefix: string) => (await sentMails(t)).filter((m) => m.to.startsWith(`${prefix}-`));
const run = async () => {
  await everyMinute(t.deps);
  await t.deps.background.idle();
};
const report = async (id: number) => (await t.json('GET', `/v1/campaigns/${id}/report`)).body;
const pick = (id: number, variant: number) => t.api(abTestRoutes.chooseWinnerRoute, { param: { id }, json: { variant } });

describe('a test of three variants on 20% of 100 contacts, decided on unique human opens', () => {
  const SUBJECTS = ['Offer A', 'Offer B', 'Offer C'];
  let id: number;
  let contacts: Map<string, number>;
  let expected: Map<string, number | null>;
  let testMails: SentMail[];

  it('sends 7, 7 and 6 messages, each recipient the subject of their variant, and holds the other 80', async () => {
    clock = NOW;
    contacts = await audience('ab-opens', 'opens', 100);
    id = await createCampaign(t, {
      template_id: templateA, topic: 'ab-opens',
      ab_test: { variants: [{}, { template_id: templateB }, { subject: 'Offer C' }], test_share_percent: 20, metric: 'opens', decide_after_minutes: 60 },
    });
    const launched = await launch(t, id);
    expected = expectedVariants(id, contacts, 20, 3);

    const rows = await ledger(id);
    const sizes = [1, 2, 3].map((v) => [...rows.values()].filter((r) => r.variant === v && !r.ab_rest).length);
    expect(sizes).toEqual([7, 7, 6]);
    // Every recipient's variant is the one the documented order gives: the split is reproducible, not just sized.
    for (const [email, variant] of expected) {
      const row = rows.get(email)!;
      if (variant === null) expect([row.variant, row.ab_rest, row.status, row.deferred_by]).toEqual([null, true, 'pending', 'ab_winner']);
      else expect([row.variant, row.ab_rest, row.status]).toEqual([variant, null, 'sent']);
    }

    testMails = await mailsTo('opens');
    expect(testMails).toHaveLength(20);
    for (const mail of testMails) expect(mail.subject).toBe(SUBJECTS[expected.get(mail.to)! - 1]);
    // Variant 2 is template B's content; variant 3 is template A's with its own subject.
    expect(testMails.filter((m) => m.html.includes('Shop B')).map((m) => expected.get(m.to))).toEqual(Array(7).fill(2));

    expect(launched).toMatchObject({ status: 'sending', counts: { targeted: 100, sent: 20, pending: 80, waiting_for_winner: 80, deferred: 0, local_time: 0 } });
    expect(launched.ab_test).toMatchObject({
      variants: [{ variant: 1, template_id: templateA, subject: null }, { variant: 2, template_id: templateB, subject: null }, { variant: 3, template_id: templateA, subject: 'Offer C' }],
      test_share_percent: 20, metric: 'opens', decide_after_minutes: 60, decide_at: at(60).toISOString(), winner: null, winner_chosen_by: null,
      rest: { variant: null, sent: 0, waiting_for_winner: 80 },
    });
    expect((await report(id)).deferred).toEqual({ quiet_hours: 0, caps: {}, local_time: 0, retrying: 0 });
  });

  it('counts people\'s opens only: Apple\'s proxy opening variant 2 four times over does not make it win', async () => {
    clock = at(10);
    const group = (v: number) => [...expected].filter(([, variant]) => variant === v).map(([email]) => email).sort();
    const pixel = (email: string) => testMails.find((m) => m.to === email)!.pixel!;
    // Variant 1: two people open (one of them twice). Variant 2: one person, and four mails opened by Apple's proxy
    // only. Variant 3: two people.
    for (const email of [group(1)[0], group(1)[0], group(1)[1], group(2)[0], group(3)[0], group(3)[1]]) await hit(t, pixel(email));
    for (const email of group(2).slice(1, 5)) await hit(t, pixel(email), APPLE_PROXY);
    await t.deps.hits.flush();
    expect((await report(id)).funnel.opened).toEqual({ human: 5, machine: 4 });

    // Before its time nothing is decided, nobody else gets a message, and the campaign is not done.
    clock = at(59);
    await run();
    expect(await getCampaign(t, id)).toMatchObject({ status: 'sending', ab_test: { winner: null }, counts: { waiting_for_winner: 80, sent: 20, pending: 80 } });
    expect((await t.outboxFiles('.eml')).length).toBe(20);
  });

  it('at its time, the best rate wins (2/6 over 2/7 and 1/7), once however many jobs run, and the rest gets exactly it', async () => {
    clock = at(60);
    await Promise.all([everyMinute(t.deps), everyMinute(t.deps)]);
    await t.deps.background.idle();

    const c = await getCampaign(t, id);
    expect(c).toMatchObject({ status: 'sent', counts: { targeted: 100, sent: 100, pending: 0, waiting_for_winner: 0 } });
    expect(c.ab_test).toMatchObject({ winner: 3, winner_chosen_by: 'auto', winner_chosen_at: at(60).toISOString() });

    const mails = await mailsTo('opens');
    expect(mails).toHaveLength(100);
    expect(new Set(mails.map((m) => m.to)).size).toBe(100);
    const rest = mails.filter((m) => expected.get(m.to) === null);
    expect(rest).toHaveLength(80);
    expect(new Set(rest.map((m) => m.subject))).toEqual(new Set(['Offer C']));
    const rows = await ledger(id);
    expect([...rows.values()].filter((r) => r.ab_rest).every((r) => r.variant === 3 && r.status === 'sent' && r.deferred_by === null)).toBe(true);

    // A marketer's pick after the automatic one: 409.
    const late = await pick(id, 1);
    expect([late.status, late.status === 409 && late.body.error.message]).toEqual([409, `The winner of campaign ${id} is already variant 3, chosen automatically`]);
  });

  it('the report keeps each variant\'s test results, the winner marked, and the rest\'s apart', async () => {
    const r = await report(id);
    const none = { clicked: 0, converted: 0, revenue: 0 };
    expect(r.ab_test.results).toEqual([
      { variant: 1, sent: 7, opened: 2, ...none, rates: { open: 0.2857, click: 0, conversion: 0 }, winner: false },
      { variant: 2, sent: 7, opened: 1, ...none, rates: { open: 0.1429, click: 0, conversion: 0 }, winner: false },
      { variant: 3, sent: 6, opened: 2, ...none, rates: { open: 0.3333, click: 0, conversion: 0 }, winner: true },
    ]);
    expect(r.ab_test.rest).toEqual({ variant: 3, sent: 80, opened: 0, ...none, rates: { open: 0, click: 0, conversion: 0 }, waiting_for_winner: 0 });
    expect(r.ab_test).toMatchObject({ winner: 3, winner_chosen_by: 'auto', metric: 'opens' });
    // The campaign's own read has the same results.
    expect((await getCampaign(t, id)).ab_test?.results).toEqual(r.ab_test.results);

    const csv = await (await t.call('GET', `/v1/campaigns/${id}/report`, undefined, { headers: { accept: 'text/csv' } })).text();
    expect(csv).toContain('ab_test.variant,opened,3,2\r\n');
    expect(csv).toContain('ab_test,winner,,3\r\n');
  });
});

describe('choosing the winner by hand', () => {
  let id: number;

  it('before the automatic choice: the rest gets that variant (consent still applies), and a second pick is a 409', async () => {
    clock = NOW;
    const contacts = await audience('ab-manual', 'manual', 10);
    id = await createCampaign(t, {
      template_id: templateA, topic: 'ab-manual',
      ab_test: { variants: [{}, { subject: 'Dernier jour, {{first_name}}' }], test_share_percent: 50, metric: 'clicks', decide_after_minutes: 120 },
    });
    // Not launched yet: no winner can be chosen.
    expect((await pick(id, 2)).status).toBe(409);
    await launch(t, id);
    const expected = expectedVariants(id, contacts, 5, 2);
    const rest = [...expected].filter(([, v]) => v === null).map(([email]) => email).sort();
    expect([...expected.values()].filter((v) => v === 1)).toHaveLength(3);
    expect(rest).toHaveLength(5);

    // One of the rest unsubscribes while waiting: the release does not reach them.
    clock = at(5);
    const unsubscribed = await t.json('POST', '/v1/contacts', { email: rest[0], subscriptions: [{ channel: 'email', topic: 'ab-manual', status: 'unsubscribed' }] });
    expect(unsubscribed.status).toBe(200);

    // A variant the test does not have: 422 naming it, nothing chosen.
    const missing = await pick(id, 3);
    expect([missing.status, missing.status === 422 && errorFields(missing.body)]).toEqual([422, ['variant']]);
    const zero = await t.json('POST', `/v1/campaigns/${id}/winner`, { variant: 0 });
    expect([zero.status, errorFields(zero.body)]).toEqual([422, ['variant']]);

    clock = at(30);
    const chosen = expectStatus(await pick(id, 2), 200);
    expect(chosen.ab_test).toMatchObject({ winner: 2, winner_chosen_by: 'manual', winner_chosen_at: at(30).toISOString() });
    await t.deps.background.idle();

    const mails = await mailsTo('manual');
    const toRest = mails.filter((m) => rest.includes(m.to));
    expect(toRest.map((m) => m.to).sort()).toEqual(rest.slice(1));
    expect(new Set(toRest.map((m) => m.subject))).toEqual(new Set(['Dernier jour,']));
    expect(mails).toHaveLength(9);
    expect(await getCampaign(t, id)).toMatchObject({ status: 'sent', counts: { sent: 9, skipped: { unsubscribed: 1 }, waiting_for_winner: 0 } });

    const again = await pick(id, 1);
    expect([again.status, again.status === 409 && again.body.error.message]).toEqual([409, `The winner of campaign ${id} is already variant 2, chosen by hand`]);
    // The automatic choice, when its time comes, leaves the marketer's pick alone.
    clock = at(120);
    await run();
    expect((await getCampaign(t, id)).ab_test).toMatchObject({ winner: 2, winner_chosen_by: 'manual', winner_chosen_at: at(30).toISOString() });
  });

  it('a campaign with no A/B test has no winner to choose: 409', async () => {
    const plain = await createCampaign(t, { template_id: templateA, topic: 'ab-manual' });
    const res = await pick(plain, 1);
    expect([res.status, res.status === 409 && res.body.error.message]).toEqual([409, `Campaign ${plain} has no A/B test`]);
    expect((await getCampaign(t, plain)).ab_test).toBeNull();
  });
});

describe('a test on the whole audience (100%)', () => {
  it('has no rest: the campaign is sent with the test group, and the winner is still recorded at its time', async () => {
    clock = NOW;
    await audience('ab-all', 'all', 5);
    const id = await createCampaign(t, {
      template_id: templateA, topic: 'ab-all',
      ab_test: { variants: [{}, { template_id: templateB }], test_share_percent: 100, metric: 'conversions', decide_after_minutes: 30 },
    });
    expect(await launch(t, id)).toMatchObject({ status: 'sent', counts: { sent: 5, waiting_for_winner: 0 } });
    const subjects = (await mailsTo('all')).map((m) => m.subject).sort();
    expect(subjects).toEqual(['Offer A', 'Offer A', 'Offer A', 'Offer B', 'Offer B']);
    clock = at(30);
    await run();
    // No conversions: equal rates, the lowest variant wins.
    expect((await getCampaign(t, id)).ab_test).toMatchObject({ winner: 1, winner_chosen_by: 'auto', rest: { sent: 0, waiting_for_winner: 0 } });
  });
});

describe('bad definitions: 422 naming the field', () => {
  let sms: number;
  beforeAll(async () => {
    clock = NOW;
    await createTopic(t, 'ab-bad');
    sms = await createTemplate(t, 'sms');
  });
  const create = async (ab_test: unknown, extra: Record<string, unknown> = {}) => {
    const res = await t.json('POST', '/v1/campaigns', { name: 'Bad', channel: 'email', template_id: templateA, topic: 'ab-bad', audience: { all: true }, ab_test, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    return errorFields(res.body);
  };
  let base: { variants: Array<Record<string, unknown>>; test_share_percent: number; metric: string; decide_after_minutes: number };
  beforeAll(() => {
    base = { variants: [{}, { template_id: templateB }], test_share_percent: 20, metric: 'clicks', decide_after_minutes: 60 };
  });

  it('refuses 1 or 5 variants, a share outside 1..100, an unknown metric or delay, an unknown field', async () => {
    expect(await create({ ...base, variants: [{}] })).toEqual(['ab_test.variants']);
    expect(await create({ ...base, variants: [{}, { subject: 'b' }, { subject: 'c' }, { subject: 'd' }, { subject: 'e' }] })).toEqual(['ab_test.variants']);
    expect(await create({ ...base, test_share_percent: 0 })).toEqual(['ab_test.test_share_percent']);
    expect(await create({ ...base, test_share_percent: 101 })).toEqual(['ab_test.test_share_percent']);
    expect(await create({ ...base, test_share_percent: 12.5 })).toEqual(['ab_test.test_share_percent']);
    expect(await create({ ...base, metric: 'revenue' })).toEqual(['ab_test.metric']);
    expect(await create({ ...base, decide_after_minutes: 0 })).toEqual(['ab_test.decide_after_minutes']);
    expect(await create({ ...base, variants: [{}, { colour: 'red' }] })).toEqual(['ab_test.variants.1.colour']);
  });

  it('refuses a template of another channel or unknown, two variants alike, a broken subject, opens without the pixel', async () => {
    expect(await create({ ...base, variants: [{}, { template_id: sms }] })).toEqual(['ab_test.variants.1.template_id']);
    expect(await create({ ...base, variants: [{ template_id: 999_999 }, {}] })).toEqual(['ab_test.variants.0.template_id']);
    expect(await create({ ...base, variants: [{}, { template_id: templateA }] })).toEqual(['ab_test.variants.1']);
    expect(await create({ ...base, variants: [{}, { subject: 'Hello {{#if}}' }] })).toEqual(['ab_test.variants.1.subject']);
    expect(await create({ ...base, metric: 'opens' }, { track_opens: false })).toEqual(['ab_test.metric']);
    // SMS: no subject, no open pixel.
    const smsCampaign = { channel: 'sms', template_id: sms };
    const smsTemplate2 = await createTemplate(t, 'sms', { text: 'Autre texte' });
    expect(await create({ ...base, variants: [{}, { subject: 'x' }] }, smsCampaign)).toEqual(['ab_test.variants.1.subject']);
    expect(await create({ ...base, variants: [{}, { template_id: smsTemplate2 }], metric: 'opens' }, smsCampaign)).toEqual(['ab_test.metric']);
    // Transactional SMS links are not tracked: clicks could never be measured.
    expect(await create({ ...base, variants: [{}, { template_id: smsTemplate2 }] }, { ...smsCampaign, kind: 'transactional' })).toEqual(['ab_test.metric']);
  });

  it('refuses a launch at a local time (422 on local_time), and the campaign stays a draft', async () => {
    const id = await createCampaign(t, { template_id: templateA, topic: 'ab-bad', ab_test: base as never });
    const res = await t.api(campaignRoutes.launchCampaignRoute, { param: { id }, json: { local_time: '09:00' } });
    expect([res.status, res.status === 422 && errorFields(res.body)]).toEqual([422, ['local_time']]);
    expect((await getCampaign(t, id)).status).toBe('draft');
  });
});
