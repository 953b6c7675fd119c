// GET /v1/campaigns/{id}/recipients: per-recipient outcomes, paged and filtered, and as a streamed CSV; the report as
// CSV. A real campaign is launched; opens, clicks and the unsubscribe go through their public endpoints, provider
// events through recordProviderEvent, and replies and conversions (not yet ingested by any endpoint) are written with
// the rollup as the ingestion would.
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { recipientRoutes, reportRoutes } from '../../src/reporting/index.js';
import { applyEngagement, recordProviderEvent } from '../../src/tracking/index.js';
import { expectStatus, type ApiInput } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BROWSER = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
const PROMO = 'https://shop.example/promo';
const NOW = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const iso = (minutes: number) => later(minutes).toISOString();
let clock = NOW;

const EVIL_HOST = '=HYPERLINK("http://evil")';
const CAMPAIGN_NAME = 'Soldes, "été"\nédition 2';
const ADDRESSES = { ana: 'ana@example.fr', ben: 'ben@example.fr', cmd: '=2+5+cmd|calc@example.fr', dan: '-dan@example.fr', eve: 'eve@example.fr' };
type Who = keyof typeof ADDRESSES;

let t: TestApp;
let campaignId: number;
const contact = {} as Record<Who, number>;
const message = {} as Record<Who, { id: number; public_id: string | null }>;

const tokenPath = (url: string) => new URL(url).pathname;
const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*href="([^"]+)"[^>]*>/g)].map((m) => m[1].replace(/&amp;/g, '&'));

async function providerEvent(who: Who, key: string, event: { type: 'delivery' | 'complaint' } | { type: 'bounce'; permanent: boolean }, at: Date) {
  const row = await t.deps.db.selectFrom('messages').select('provider_message_id').where('id', '=', message[who].id).executeTakeFirstOrThrow();
  await inTransaction(t.deps.db, (trx) =>
    recordProviderEvent(trx, key, { ...event, recipients: [ADDRESSES[who]], providerMessageId: row.provider_message_id!, at }, { receivedAt: at }));
}

/** A reply as the ingestion records it: the response, and the message's rollup. */
async function reply(who: Who, body: string, at: Date) {
  await inTransaction(t.deps.db, async (trx) => {
    await trx.insertInto('responses').values({
      response_key: crypto.randomUUID(), message_id: message[who].id, campaign_id: campaignId, contact_id: contact[who], channel: 'email', kind: 'reply', body, occurred_at: at,
    }).execute();
    await applyEngagement(trx, [{ messageId: message[who].id, campaignId, contactId: contact[who], metric: 'reply', at }]);
  });
}

/** A purchase attributed to the message's click, as the attribution records it. */
async function conversion(who: Who, value: number, at: Date) {
  await inTransaction(t.deps.db, async (trx) => {
    const event = await trx.insertInto('events').values({ contact_id: contact[who], type: 'purchase', value, occurred_at: at }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('conversions').values({
      event_id: event.id, contact_id: contact[who], campaign_id: campaignId, message_id: message[who].id, type: 'purchase', value, occurred_at: at, touch: 'click', touch_at: at,
    }).execute();
    await applyEngagement(trx, [{ messageId: message[who].id, campaignId, contactId: contact[who], metric: 'conversion', at, value }]);
  });
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  expect((await t.json('PUT', '/v1/attributes/host', { type: 'text' })).status).toBe(201);
  for (const who of Object.keys(ADDRESSES) as Who[]) {
    const status = who === 'eve' ? 'unsubscribed' : 'subscribed';
    const attributes: Record<string, string> = who === 'cmd' ? { host: EVIL_HOST } : {};
    contact[who] = (await createContact(t, { email: ADDRESSES[who], attributes, subscriptions: [{ channel: 'email', topic: 'news', status }] })).id;
  }
  const body = `<a href="${PROMO}">Promo</a> <a href="https://shop.example/">Boutique</a> <a href="{{unsubscribe_url}}">Se désabonner</a>`;
  const template = await createTemplate(t, 'email', { mjml: mjml(body) });
  campaignId = await createCampaign(t, { name: CAMPAIGN_NAME, template_id: template, topic: 'news' });
  await launch(t, campaignId);
  for (const who of Object.keys(ADDRESSES) as Who[]) {
    const m = await t.deps.db.selectFrom('messages').select(['id', 'public_id']).where('campaign_id', '=', campaignId).where('contact_id', '=', contact[who]).executeTakeFirstOrThrow();
    message[who] = { id: Number(m.id), public_id: m.public_id };
  }
  const html = new Map<string, string>();
  for (const file of await t.outboxFiles('.eml')) {
    const mail = await PostalMime.parse(file.content);
    html.set(mail.to![0].address!, mail.html ?? '');
  }

  // Ana: opens (a person, then a HEAD: a machine), clicks the promo, unsubscribes with one click.
  const ana = html.get(ADDRESSES.ana)!;
  const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(ana)![1];
  const [promo, , unsubscribe] = hrefs(ana);
  clock = later(60);
  expect((await t.app.request(tokenPath(pixel), { headers: BROWSER })).status).toBe(200);
  clock = later(70);
  expect((await t.app.request(tokenPath(pixel), { method: 'HEAD', headers: BROWSER })).status).toBe(200);
  clock = later(120);
  expect((await t.app.request(tokenPath(promo), { headers: BROWSER })).status).toBe(302);
  clock = later(180);
  const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' };
  expect((await t.app.request(tokenPath(unsubscribe), form)).status).toBe(200);
  // Ben: delivered; a scanner follows the honeypot (a machine click); he replies and buys twice.
  await providerEvent('ben', 'sns-ben-delivery', { type: 'delivery' }, later(5));
  clock = later(60);
  const honeypot = hrefs(html.get(ADDRESSES.ben)!).at(-1)!;
  expect((await t.app.request(tokenPath(honeypot), { headers: BROWSER })).status).toBe(204);
  await reply('ben', 'Merci !', later(240));
  await conversion('ben', 49.5, later(300));
  await conversion('ben', 20.25, later(360));
  // The address starting with "=" bounces; the one starting with "-" is delivered, then marked as spam.
  await providerEvent('cmd', 'sns-cmd-bounce', { type: 'bounce', permanent: true }, later(1));
  await providerEvent('dan', 'sns-dan-delivery', { type: 'delivery' }, later(5));
  await providerEvent('dan', 'sns-dan-complaint', { type: 'complaint' }, later(360));
  await t.deps.hits.flush();
  clock = later(24 * 60);
});
afterAll(() => t.close());

/** Each recipient as the API must show them, worked out from the script above. */
function expected(who: Who) {
  const none = {
    delivered_at: null, bounced_at: null, bounce: null, complained_at: null, opened_at: null, clicked_at: null, machine_opened_at: null,
    machine_clicked_at: null, opens_human: 0, opens_machine: 0, clicks_human: 0, clicks_machine: 0, replied_at: null, replies: 0,
    converted_at: null, conversions: 0, revenue: 0, unsubscribed_at: null, sms_encoding: null, sms_segments: null,
  };
  const sent = {
    message_id: message[who].public_id, contact_id: contact[who], address: ADDRESSES[who], channel: 'email', status: 'sent',
    state: 'sent', state_reason: null, skip_reason: null, capped_by: null, sent_at: NOW.toISOString(),
  };
  switch (who) {
    case 'ana': return {
      ...sent, ...none, opened_at: iso(60), machine_opened_at: iso(70), opens_human: 1, opens_machine: 1, clicked_at: iso(120), clicks_human: 1,
      unsubscribed_at: iso(180),
    };
    case 'ben': return {
      ...sent, ...none, delivered_at: iso(5), machine_clicked_at: iso(60), clicks_machine: 1, replied_at: iso(240), replies: 1,
      converted_at: iso(300), conversions: 2, revenue: 69.75,
    };
    case 'cmd': return { ...sent, ...none, bounced_at: iso(1), bounce: 'hard' };
    case 'dan': return { ...sent, ...none, delivered_at: iso(5), complained_at: iso(360) };
    case 'eve': return {
      ...none, message_id: null, contact_id: contact.eve, address: null, channel: 'email', status: 'skipped', skip_reason: 'unsubscribed',
      state: 'suppressed', state_reason: 'unsubscribed', capped_by: null, sent_at: null,
    };
  }
}

/** Who, in message order: the order every list and export uses. */
const inMessageOrder = (who: Who[]) => [...who].sort((a, b) => message[a].id - message[b].id);
const everyone = () => inMessageOrder(Object.keys(ADDRESSES) as Who[]);

type Query = NonNullable<ApiInput<typeof recipientRoutes.listRecipientsRoute>['query']>;
const list = (query: Query = {}) => t.api(recipientRoutes.listRecipientsRoute, { param: { id: campaignId }, query });

async function csv(path: string, accept = 'text/csv') {
  const res = await t.call('GET', path, undefined, { headers: { accept } });
  const chunks: Uint8Array[] = [];
  if (res.body) {
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return { res, chunks, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

describe('GET /v1/campaigns/{id}/recipients', () => {
  it('lists every audience member in message order with their outcome and engagement', async () => {
    const body = expectStatus(await list(), 200);
    expect(body).toEqual({ data: everyone().map(expected), next_cursor: null });
  });

  it('pages with limit and cursor, two at a time, without gaps or repeats', async () => {
    const seen: unknown[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | undefined;
    do {
      const page = expectStatus(await list({ limit: 2, ...(cursor ? { cursor } : {}) }), 200);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursors.push(page.next_cursor);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(cursors.length).toBe(3);
    expect(cursors.at(-1)).toBeNull();
    expect(seen).toEqual(everyone().map(expected));
  });

  it('filters by status and by what a person did (opens and clicks: people only)', async () => {
    const only = async (query: Query) => expectStatus(await list(query), 200).data.map((r) => r.address);
    expect(await only({ status: 'skipped' })).toEqual([null]);
    expect(await only({ status: 'sent' })).toEqual(inMessageOrder(['ana', 'ben', 'cmd', 'dan']).map((w) => ADDRESSES[w]));
    expect(await only({ status: 'failed' })).toEqual([]);
    expect(await only({ engaged: 'opened' })).toEqual([ADDRESSES.ana]);
    // Ben's only click is a scanner's, on the honeypot.
    expect(await only({ engaged: 'clicked' })).toEqual([ADDRESSES.ana]);
    expect(await only({ engaged: 'replied' })).toEqual([ADDRESSES.ben]);
    expect(await only({ engaged: 'converted' })).toEqual([ADDRESSES.ben]);
    expect(await only({ engaged: 'unsubscribed' })).toEqual([ADDRESSES.ana]);
    expect(await only({ engaged: 'bounced' })).toEqual([ADDRESSES.cmd]);
    expect(await only({ status: 'sent', engaged: 'opened' })).toEqual([ADDRESSES.ana]);
    expect(await only({ status: 'skipped', engaged: 'opened' })).toEqual([]);
  });

  it('refuses an unknown parameter or value with a 422 naming it, as every list does', async () => {
    const res = await t.json('GET', `/v1/campaigns/${campaignId}/recipients?city=Lille`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'city', message: 'unknown field "city"' }] });
    for (const q of ['engaged=machine_opened', 'status=bounced', 'limit=0', 'cursor=nope']) {
      expect([q, (await t.json('GET', `/v1/campaigns/${campaignId}/recipients?${q}`)).status]).toEqual([q, 422]);
    }
  });

  it('is a 404 for an unknown campaign, as JSON and as CSV', async () => {
    const res = await t.json('GET', '/v1/campaigns/999999/recipients');
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    const asCsv = await csv('/v1/campaigns/999999/recipients');
    expect(asCsv.res.status).toBe(404);
    expect(asCsv.res.headers.get('content-type')).toContain('application/json');
  });
});

describe('GET /v1/campaigns/{id}/recipients with Accept: text/csv', () => {
  it('streams every recipient as a CSV attachment: BOM, header, one CRLF row each, formulas neutralised', async () => {
    const { res, bytes, text } = await csv(`/v1/campaigns/${campaignId}/recipients?limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${campaignId}-recipients.csv"`);
    expect(res.headers.get('vary')).toBe('Accept');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length).toBe(1 + 5 + 1);
    const columns = Object.keys(expected('ana'));
    expect(lines[0]).toBe(columns.join(','));
    // The addresses starting with "=" and "-" are text, not formulas; numbers (the revenue) stay numbers.
    expect(lines.filter((l) => l.includes('cmd|calc'))).toEqual([expect.stringContaining(",'=2+5+cmd|calc@example.fr,")]);
    expect(lines.filter((l) => l.includes('dan@'))).toEqual([expect.stringContaining(",'-dan@example.fr,")]);
    // Every row holds what the JSON item holds (limit is ignored: all of them), in the same order.
    const rows = parse(text.slice(1), { columns: true }) as Array<Record<string, string>>;
    const asText = (v: unknown) => (v === null ? '' : String(v));
    expect(rows).toEqual(everyone().map((who) => Object.fromEntries(Object.entries(expected(who)).map(([k, v]) => {
      const cell = asText(v);
      return [k, k === 'address' && /^[=+\-@]/.test(cell) ? `'${cell}` : cell];
    }))));
    const ben = rows.find((r) => r.address === ADDRESSES.ben)!;
    expect([ben.revenue, ben.conversions, ben.replied_at]).toEqual(['69.75', '2', iso(240)]);
  });

  it('applies the filters', async () => {
    const { text } = await csv(`/v1/campaigns/${campaignId}/recipients?engaged=bounced`);
    expect(text.slice(1).split('\r\n').length).toBe(1 + 1 + 1);
    expect(text).toContain(`,'=2+5+cmd|calc@example.fr,`);
  });

  it('takes JSON whenever JSON is preferred or only wildcards are named', async () => {
    for (const accept of ['application/json', '*/*', 'text/csv;q=0.5, application/json']) {
      const res = await t.call('GET', `/v1/campaigns/${campaignId}/recipients`, undefined, { headers: { accept } });
      expect([accept, res.headers.get('content-type')]).toEqual([accept, 'application/json']);
      expect((await res.json()).data.length).toBe(5);
    }
  });

  it('reads and sends a campaign of 2,500 a thousand rows at a time, in message order', async () => {
    const big = await createCampaign(t, { name: 'big', template_id: (await t.deps.db.selectFrom('templates').select('id').executeTakeFirstOrThrow()).id, topic: 'news' });
    // Ledger rows written directly: what is under test is the export's paging, not the launch.
    await sql`
      insert into messages (campaign_id, contact_id, channel, status, skip_reason, public_id)
      select ${big}, null, 'email', 'skipped', 'contact_deleted', 'p' || lpad(i::text, 5, '0') from generate_series(1, 2500) as i`.execute(t.deps.db);
    const { res, chunks, text } = await csv(`/v1/campaigns/${big}/recipients`);
    expect(res.status).toBe(200);
    // The BOM and header, then one chunk per page of 1,000.
    const rowsPerChunk = chunks.map((c) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(c).split('\r\n').length - 1);
    expect(rowsPerChunk).toEqual([1, 1000, 1000, 500]);
    const ids = text.slice(1).split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
    expect(ids).toEqual(Array.from({ length: 2500 }, (_, i) => `p${String(i + 1).padStart(5, '0')}`));
  });
});

describe('GET /v1/campaigns/{id}/report with Accept: text/csv', () => {
  it('streams the report in long form, section,metric,key,value, with text quoted and formulas neutralised', async () => {
    const { res, bytes, text } = await csv(`/v1/campaigns/${campaignId}/report?by=host`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${campaignId}-report.csv"`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = text.slice(1);
    expect(body.startsWith('section,metric,key,value\r\n')).toBe(true);
    // The name holds a comma, quotes and a line break: one quoted cell, quotes doubled.
    expect(body).toContain('\r\ncampaign,name,,"Soldes, ""été""\nédition 2"\r\n');
    // An attribute value that is a formula comes out as text.
    expect(body).toContain(`\r\nbreakdown.attribute.host,sent,"'=HYPERLINK(""http://evil"")",1\r\n`);
    const rows = (parse(body, { columns: true }) as Array<{ section: string; metric: string; key: string; value: string }>)
      .map((r) => `${r.section} ${r.metric} ${r.key} ${r.value}`);
    expect(rows).toEqual(expect.arrayContaining([
      'campaign status  sent',
      `campaign launched_at  ${NOW.toISOString()}`,
      'delivery audience  5',
      'delivery sent  4',
      'held_back consent.unsubscribed  1',
      'funnel sent  4',
      'funnel bounced.hard  1',
      'funnel delivered  3',
      'funnel complained  1',
      'funnel opened.human  1',
      'funnel opened.machine  1',
      'funnel clicked.human  1',
      'funnel clicked.machine  1',
      'funnel replied  1',
      'funnel converted  1',
      'funnel revenue  69.75',
      'funnel unsubscribed  1',
      `by_link url 0 ${PROMO}`,
      'by_link human 0 1',
      'by_link machine 0 0',
      `series open_human ${new Date(Math.floor(later(60).getTime() / 3_600_000) * 3_600_000).toISOString()} 1`,
      'breakdown.channel sent email 4',
      'breakdown.attribute.host sent  3',
    ]));
  });

  it('keeps JSON without Accept: text/csv', async () => {
    const res = await t.api(reportRoutes.campaignReportRoute, { param: { id: campaignId } });
    expect(expectStatus(res, 200).funnel.sent).toBe(4);
  });
});
