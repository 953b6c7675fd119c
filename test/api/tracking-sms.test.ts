// SMS short links over HTTP: a launched marketing SMS carries PUBLIC_URL/s/{code} in place of each web link, counted
// in its segments; following one redirects to the recorded URL and keeps a click, classified like any other.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instrumentSms } from '../../src/tracking/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch } from '../support/fixtures.js';

const CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const BROWSER = { 'user-agent': CHROME, 'accept-language': 'fr-FR,fr;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
const PUBLIC_URL = 'https://mail.example.test';
// Long enough that the SMS would take two segments if it were sent as written (168 characters).
const PROMO = 'https://shop.example/collections/printemps-2026?utm_source=sms&utm_medium=relais&utm_campaign=printemps&code=FETE20';
const SHOP = 'https://shop.example/';
const NOW = new Date('2026-03-02T10:00:00.000Z');
let clock = NOW;

let t: TestApp;
let campaignId: number;
const people: Record<string, { id: number; phone: string }> = {};
/** The SMS each phone got, as the outbox recorded it. */
const sent = new Map<string, { text: string; encoding: string; segments: number; message_id: string }>();
const SHORT = /https:\/\/mail\.example\.test\/s\/([0-9A-Za-z]+)/g;
const shortLinks = (text: string) => [...text.matchAll(SHORT)].map((m) => new URL(m[0]).pathname);

async function hits() {
  await t.deps.hits.flush();
  return t.deps.db.selectFrom('tracking_hits').select(['message_id', 'kind', 'link_index', 'method', 'class', 'rule']).orderBy('id').execute();
}

async function messageOf(phone: string) {
  const publicId = sent.get(phone)!.message_id;
  return Number((await t.deps.db.selectFrom('messages').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow()).id);
}

/** Launches an SMS campaign of `text` to everyone and returns the SMS it sent, by phone. */
async function sendSms(text: string, kind: 'marketing' | 'transactional' = 'marketing') {
  const before = new Set((await t.outboxFiles('.json')).map((f) => f.name));
  const template = await createTemplate(t, 'sms', { text });
  const id = await createCampaign(t, { template_id: template, topic: 'promos', channel: 'sms', kind });
  await launch(t, id);
  const fresh = (await t.outboxFiles('.json')).filter((f) => !before.has(f.name)).map((f) => JSON.parse(f.content));
  return { id, sms: new Map(fresh.map((s) => [s.to as string, s])) };
}

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  // This test is about links, not the time of day nor caps.
  expect((await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] })).status).toBe(200);
  expect((await t.json('PUT', '/v1/settings/pressure', { rules: [] })).status).toBe(200);
  await createTopic(t, 'promos');
  for (const [name, phone] of [['Ana', '+33612345601'], ['Ben', '+33612345602']]) {
    const contact = await createContact(t, { first_name: name, phone, subscriptions: [{ channel: 'sms', topic: 'promos' }] });
    people[name] = { id: contact.id, phone };
  }
  const launched = await sendSms(`{{first_name}}, -20% : ${PROMO}. Boutique ${SHOP}`);
  campaignId = launched.id;
  for (const [phone, sms] of launched.sms) sent.set(phone, sms);
});
afterAll(() => t.close());

describe('a marketing SMS', () => {
  it('has each web link shortened to /s/{code}, seven letters or digits, and its segments counted again', () => {
    expect([...sent.keys()].sort()).toEqual(['+33612345601', '+33612345602']);
    const ana = sent.get('+33612345601')!;
    expect(ana.text.replace(SHORT, `${PUBLIC_URL}/s/CODE`)).toBe(`Ana, -20% : ${PUBLIC_URL}/s/CODE. Boutique ${PUBLIC_URL}/s/CODE STOP SMS`);
    expect(shortLinks(ana.text).map((p) => p.split('/').at(-1)!.length)).toEqual([7, 7]);
    // 168 characters as written (two segments), 102 shortened: one.
    expect({ length: ana.text.length, encoding: ana.encoding, segments: ana.segments }).toEqual({ length: 102, encoding: 'GSM-7', segments: 1 });
    const codes = [...sent.values()].flatMap((s) => shortLinks(s.text));
    expect(new Set(codes).size).toBe(4);
  });

  it('records what each SMS costs, its encoding and segments, in the recipients report', async () => {
    const { body } = await t.json('GET', `/v1/campaigns/${campaignId}/recipients`);
    const byAddress = Object.fromEntries(body.data.map((r: { address: string; sms_encoding: string; sms_segments: number }) => [r.address, [r.sms_encoding, r.sms_segments]]));
    // What the provider was given (the outbox's record), counted again: GSM-7 text of at most 160 characters is one.
    expect(byAddress).toEqual(Object.fromEntries([...sent].map(([phone, sms]) => [phone, ['GSM-7', sms.text.length <= 160 ? 1 : Math.ceil(sms.text.length / 153)]])));
    const accented = await sendSms('Bonjour {{first_name}} ✨ : vos remises sont là. '.repeat(2));
    const rows = (await t.json('GET', `/v1/campaigns/${accented.id}/recipients`)).body.data as Array<{ address: string; sms_encoding: string; sms_segments: number }>;
    for (const row of rows) {
      const text = accented.sms.get(row.address)!.text as string;
      expect([row.sms_encoding, row.sms_segments]).toEqual(['UCS-2', Math.ceil([...text].length / 67)]);
    }
  });

  it('records each code for its link of its message, and the real URLs for the message', async () => {
    const ana = sent.get('+33612345601')!;
    const rows = await t.deps.db.selectFrom('sms_links').select(['code', 'link_index']).where('public_id', '=', ana.message_id).orderBy('link_index').execute();
    expect(rows.map((r) => `/s/${r.code}`)).toEqual(shortLinks(ana.text));
    expect(rows.map((r) => r.link_index)).toEqual([0, 1]);
    const links = await t.deps.db.selectFrom('message_links').select(['urls', 'honeypot_index']).where('public_id', '=', ana.message_id).executeTakeFirstOrThrow();
    // No honeypot in an SMS: its index is past the last link, and no code names it.
    expect(links).toEqual({ urls: [PROMO, SHOP], honeypot_index: 2 });
  });

  it('a person following a link is redirected to the recorded URL, and a human click is kept', async () => {
    const [promo] = shortLinks(sent.get('+33612345601')!.text);
    clock = new Date(NOW.getTime() + 3600_000);
    const res = await t.app.request(promo, { headers: BROWSER });
    expect([res.status, res.headers.get('location')]).toEqual([302, PROMO]);
    expect(await hits()).toEqual([
      { message_id: await messageOf('+33612345601'), kind: 'click', link_index: 0, method: 'GET', class: 'human', rule: 'default_human' },
    ]);
  });

  it('a HEAD is answered and kept as a machine', async () => {
    const [, shop] = shortLinks(sent.get('+33612345602')!.text);
    clock = new Date(NOW.getTime() + 2 * 3600_000);
    const res = await t.app.request(shop, { method: 'HEAD', headers: BROWSER });
    expect([res.status, res.headers.get('location')]).toEqual([302, SHOP]);
    expect((await hits()).at(-1)).toEqual({ message_id: await messageOf('+33612345602'), kind: 'click', link_index: 1, method: 'HEAD', class: 'machine', rule: 'head_request' });
  });

  it('an unknown code, or one that cannot be a code, is a 404 and records nothing', async () => {
    const before = (await hits()).length;
    const [promo] = shortLinks(sent.get('+33612345601')!.text);
    const flipped = promo.slice(0, -1) + (promo.at(-1) === 'A' ? 'B' : 'A');
    for (const path of [flipped, '/s/zzzzzzz', '/s/abc', `/s/${'a'.repeat(17)}`, '/s/abc-def', '/s/abc%00def', `${promo}.`]) {
      const res = await t.app.request(path, { headers: BROWSER });
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 404, null]);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await hits()).length).toBe(before);
  });

  it('the report counts the clicks, human and machine, per link', async () => {
    const report = await t.json('GET', `/v1/campaigns/${campaignId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.engagement.clicks).toEqual({
      human: 1, machine: 1, unique_human: 1, unique_machine: 1,
      by_link: [{ link: 0, url: PROMO, human: 1, machine: 0 }, { link: 1, url: SHOP, human: 0, machine: 1 }],
    });
    expect(report.body.engagement.opens).toEqual({ human: 0, machine: 0, unique_human: 0, unique_machine: 0 });
  });
});

describe('links that are not shortened', () => {
  it('the unsubscribe link of a marketing SMS stays as written; a text without web links records nothing', async () => {
    const before = await t.deps.db.selectFrom('sms_links').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const { sms } = await sendSms('{{first_name}}: se desinscrire {{unsubscribe_url}} ou tel:+33100000000');
    const ana = sms.get('+33612345601')!;
    expect(ana.text).toMatch(/^Ana: se desinscrire https:\/\/mail\.example\.test\/u\/[^ /]+ ou tel:\+33100000000 STOP SMS$/);
    const after = await t.deps.db.selectFrom('sms_links').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await t.deps.db.selectFrom('message_links').select('public_id').where('public_id', '=', ana.message_id).execute()).toEqual([]);
  });

  it('a transactional SMS keeps its links as written: a short code can be guessed, and such links may carry a secret', async () => {
    const { sms } = await sendSms(`Votre lien: ${PROMO}`, 'transactional');
    expect(sms.get('+33612345602')!.text).toBe(`Votre lien: ${PROMO}`);
  });
});

describe('short codes', () => {
  it('a code already taken is drawn again; the other links keep theirs', async () => {
    await t.deps.db.insertInto('sms_links').values({ code: '0000000', public_id: 'another-message', link_index: 0 }).execute();
    // The first draw gives zero bytes: code 0000000, taken. The next draws are random.
    const draw = vi.spyOn(crypto, 'getRandomValues').mockImplementationOnce((array) => array);
    const message = { id: 999_999, publicId: 'collision-test', campaignId: null };
    let text: string;
    let draws: number;
    try {
      text = await instrumentSms(t.deps.db, PUBLIC_URL, message, `A ${SHOP}a B ${SHOP}b`);
      draws = draw.mock.calls.length;
    } finally {
      draw.mockRestore();
    }
    // Three codes drawn: the taken one and link 1's, then link 0's again.
    expect(draws).toBe(3);
    const rows = await t.deps.db.selectFrom('sms_links').select(['code', 'link_index']).where('public_id', '=', 'collision-test').orderBy('link_index').execute();
    expect(rows.map((r) => r.link_index)).toEqual([0, 1]);
    expect(rows.map((r) => r.code)).not.toContain('0000000');
    expect(text).toBe(`A ${PUBLIC_URL}/s/${rows[0].code} B ${PUBLIC_URL}/s/${rows[1].code}`);
    expect(await t.deps.db.selectFrom('sms_links').select('public_id').where('code', '=', '0000000').execute()).toEqual([{ public_id: 'another-message' }]);
  });
});

describe('an erased contact', () => {
  it('their short links answer 404: the links recorded for their messages are deleted', async () => {
    const [promo] = shortLinks(sent.get('+33612345602')!.text);
    expect((await t.app.request(promo, { headers: BROWSER })).status).toBe(302);
    expect((await t.call('DELETE', `/v1/contacts/${people.Ben.id}`)).status).toBeLessThan(300);
    expect((await t.app.request(promo, { headers: BROWSER })).status).toBe(404);
  });
});
