// The small hand-made dataset the segment tests check exact membership against.
// Every value below is chosen so that each rule's right answer can be worked out by hand; the tests
// write that answer out and explain it. "Now" is frozen at NOW (a Monday, three days before the new year).
import { expect } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

export const NOW = new Date('2026-12-28T12:00:00Z');
const DAY = 86_400_000;
export const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

/*
 * id  email            phone          locale  address (line1 / city)    created  ambassador      revenue host   birthday    tier
 * A   a@example.fr     +33612345601   fr      1 rue A / Paris           5d      Maryse          1200    true   1980-01-02  gold
 * B   b@example.com    -              en      2 Main St / Lyon          29d     maryse dupont   800     true   1975-12-30  silver
 * C   -                +33612345603   fr      -                         31d     Jean            500     false  1992-02-29  bronze
 * D   d@example.fr     -              fr-CA   - / Paris                 100d    -               950     false  1985-06-15  -
 * E   e@example.fr     +33612345605   en      5 quai / Marseille        400d    50%_off         -       -      -           gold
 * F   f@example.fr     -              fr      -                         1000d   500_off         950     true   2000-01-05  silver
 * G   g@example.fr     +33612345607   fr      7 av / Lyon               1000d   Maryse          300     false  1970-03-01  bronze
 * H   h@example.fr     -              en-GB   -                         1000d   -               100     -      1999-12-28  silver
 * I   i@example.fr     +33612345609   fr      -                         1000d   MARYSE          50      false  -           -
 * J   j@example.fr     -              fr      -                         1000d   Maryse          0       true   1988-01-04  gold
 * K   k@example.fr     +33612345611   en      -                         1000d   Boffo           700     -      -           bronze
 * L   -                -              fr      12 rue / PARIS            1000d   -               -       -      -           -
 *
 * Subscriptions (status subscribed unless said): A email news, email promo, sms news; B email news; C sms promo;
 * D email promo; E email news UNSUBSCRIBED, sms news; F email news; G postal news; J email news.
 *
 * Purchases (days ago: value {properties}):
 * A 10: 100 {shoes, items 2}, 200: 50 {bags, items 1}      → count 2, total 150, first 200d, last 10d
 * B 5: 300 {bags, items 3}                                   → count 1, total 300, first = last 5d
 * C 100: 20 {Shoes, items 1}, 60: 30 {SHOES, items 5}        → count 2, total 50, first 100d, last 60d
 * D 250: 500 {bags, items "2" (a string)}                    → count 1, total 500, last 250d
 * E 400: 80 {shoes}, 500: 40 {shoes}                         → count 2, total 120, last 400d
 * F 20, 40, 80: 10 each {shoes}                              → count 3, total 30, first 80d, last 20d
 * H 1000: 1000 {bags}                                        → count 1, total 1000
 * J 15: 60 {shoes, items 1}                                  → count 1, total 60, first = last 15d
 * K 170: 200 {bags}, 35: 100 {bags}                          → count 2, total 300, first 170d, last 35d
 * G has one page_view 3 days ago and no purchase; I and L have no events at all.
 *
 * Campaigns (launched) and messages, written straight into the ledger:
 * C1 40d: A sent, opened 39d; B sent; C sent, opened and clicked 39d
 * C2 30d: A sent, opened 29d; B sent; C sent; D failed
 * C3 20d: A sent; B sent, opened and clicked 19d; C sent; E sent
 * C4 10d: A sent; B sent; C sent; E sent, opened 9d; F skipped
 */
export const IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'] as const;
export type Id = (typeof IDS)[number];

interface Row {
  email?: string; phone?: string; locale: string; address?: Record<string, string>; created: number;
  attributes: Record<string, unknown>; subscriptions?: Array<{ channel: string; topic: string; status?: string }>;
}

const ROWS: Record<Id, Row> = {
  A: { email: 'a@example.fr', phone: '+33612345601', locale: 'fr', address: { line1: '1 rue A', city: 'Paris', postal_code: '75001', country: 'FR' }, created: 5,
    attributes: { ambassador: 'Maryse', annual_revenue: 1200, host: true, birthday: '1980-01-02', tier: 'gold' },
    subscriptions: [{ channel: 'email', topic: 'news' }, { channel: 'email', topic: 'promo' }, { channel: 'sms', topic: 'news' }] },
  B: { email: 'b@example.com', locale: 'en', address: { line1: '2 Main St', city: 'Lyon', postal_code: '69002' }, created: 29,
    attributes: { ambassador: 'maryse dupont', annual_revenue: 800, host: true, birthday: '1975-12-30', tier: 'silver' },
    subscriptions: [{ channel: 'email', topic: 'news' }] },
  C: { phone: '+33612345603', locale: 'fr', created: 31,
    attributes: { ambassador: 'Jean', annual_revenue: 500, host: false, birthday: '1992-02-29', tier: 'bronze' },
    subscriptions: [{ channel: 'sms', topic: 'promo' }] },
  D: { email: 'd@example.fr', locale: 'fr-CA', address: { city: 'Paris' }, created: 100,
    attributes: { annual_revenue: 950, host: false, birthday: '1985-06-15' },
    subscriptions: [{ channel: 'email', topic: 'promo' }] },
  E: { email: 'e@example.fr', phone: '+33612345605', locale: 'en', address: { line1: '5 quai', city: 'Marseille', postal_code: '13001' }, created: 400,
    attributes: { ambassador: '50%_off', tier: 'gold' },
    subscriptions: [{ channel: 'email', topic: 'news', status: 'unsubscribed' }, { channel: 'sms', topic: 'news' }] },
  F: { email: 'f@example.fr', locale: 'fr', created: 1000,
    attributes: { ambassador: '500_off', annual_revenue: 950, host: true, birthday: '2000-01-05', tier: 'silver' },
    subscriptions: [{ channel: 'email', topic: 'news' }] },
  G: { email: 'g@example.fr', phone: '+33612345607', locale: 'fr', address: { line1: '7 av', city: 'Lyon', postal_code: '69003' }, created: 1000,
    attributes: { ambassador: 'Maryse', annual_revenue: 300, host: false, birthday: '1970-03-01', tier: 'bronze' },
    subscriptions: [{ channel: 'postal', topic: 'news' }] },
  H: { email: 'h@example.fr', locale: 'en-GB', created: 1000,
    attributes: { annual_revenue: 100, birthday: '1999-12-28', tier: 'silver' } },
  I: { email: 'i@example.fr', phone: '+33612345609', locale: 'fr', created: 1000,
    attributes: { ambassador: 'MARYSE', annual_revenue: 50, host: false } },
  J: { email: 'j@example.fr', locale: 'fr', created: 1000,
    attributes: { ambassador: 'Maryse', annual_revenue: 0, host: true, birthday: '1988-01-04', tier: 'gold' },
    subscriptions: [{ channel: 'email', topic: 'news' }] },
  K: { email: 'k@example.fr', phone: '+33612345611', locale: 'en', created: 1000,
    attributes: { ambassador: 'Boffo', annual_revenue: 700, tier: 'bronze' } },
  L: { locale: 'fr', address: { line1: '12 rue', city: 'PARIS', postal_code: '75011' }, created: 1000, attributes: {} },
};

const PURCHASES: Array<[Id, number, number, Record<string, unknown>]> = [
  ['A', 10, 100, { category: 'shoes', items: 2 }], ['A', 200, 50, { category: 'bags', items: 1 }],
  ['B', 5, 300, { category: 'bags', items: 3 }],
  ['C', 100, 20, { category: 'Shoes', items: 1 }], ['C', 60, 30, { category: 'SHOES', items: 5 }],
  ['D', 250, 500, { category: 'bags', items: '2' }],
  ['E', 400, 80, { category: 'shoes' }], ['E', 500, 40, { category: 'shoes' }],
  ['F', 20, 10, { category: 'shoes' }], ['F', 40, 10, { category: 'shoes' }], ['F', 80, 10, { category: 'shoes' }],
  ['H', 1000, 1000, { category: 'bags' }],
  ['J', 15, 60, { category: 'shoes', items: 1 }],
  ['K', 170, 200, { category: 'bags' }], ['K', 35, 100, { category: 'bags' }],
];

// machineOpened: only a machine opened it (Apple's proxy, a scanner): it counts when include_machine is asked.
type Msg = [Id, 'sent' | 'failed' | 'skipped', { opened?: number; clicked?: number; machineOpened?: number }?];
const CAMPAIGNS: Array<{ name: string; launched: number; messages: Msg[] }> = [
  { name: 'C1', launched: 40, messages: [['A', 'sent', { opened: 39 }], ['B', 'sent'], ['C', 'sent', { opened: 39, clicked: 39 }]] },
  { name: 'C2', launched: 30, messages: [['A', 'sent', { opened: 29 }], ['B', 'sent'], ['C', 'sent'], ['D', 'failed']] },
  { name: 'C3', launched: 20, messages: [['A', 'sent'], ['B', 'sent', { opened: 19, clicked: 19 }], ['C', 'sent'], ['E', 'sent']] },
  { name: 'C4', launched: 10, messages: [['A', 'sent'], ['B', 'sent'], ['C', 'sent', { machineOpened: 9 }], ['E', 'sent', { opened: 9 }], ['F', 'skipped']] },
];

export interface Dataset {
  t: TestApp;
  /** contact id by letter, and back */
  id: Record<Id, number>;
  letter: Map<number, string>;
  /** campaign ids C1..C4 (only when engagement history was seeded) */
  campaign: Record<string, number>;
  topic: Record<'news' | 'promo', number>;
  /** The members of a rule as sorted letters, from POST /v1/segments/preview (count and sample must agree). */
  members(rule: unknown): Promise<string[]>;
  /** The 422 details of a rule that must be refused. */
  problems(rule: unknown): Promise<Array<{ field: string; message: string }>>;
  /** Sorted letters of a list's members, read from list_members. */
  listMembers(listId: number): Promise<string[]>;
}

export async function buildDataset(options: { engagement?: boolean; clock?: () => Date } = {}): Promise<Dataset> {
  const t = await createTestApp({}, { clock: options.clock ?? (() => NOW) });
  const ok = async (method: string, path: string, body: unknown) => {
    const res = await t.json(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  await ok('PUT', '/v1/attributes/ambassador', { type: 'text' });
  await ok('PUT', '/v1/attributes/annual_revenue', { type: 'number' });
  await ok('PUT', '/v1/attributes/host', { type: 'boolean' });
  await ok('PUT', '/v1/attributes/birthday', { type: 'date' });
  await ok('PUT', '/v1/attributes/tier', { type: 'enum', values: ['bronze', 'silver', 'gold'] });
  const news = await ok('POST', '/v1/topics', { key: 'news', name: 'News' });
  const promo = await ok('POST', '/v1/topics', { key: 'promo', name: 'Promotions' });

  const id = {} as Record<Id, number>;
  const letter = new Map<number, string>();
  // Created in letter order, so ids ascend A → L (ties in top_percent are broken by id).
  for (const l of IDS) {
    const r = ROWS[l];
    const body = await ok('POST', '/v1/contacts', {
      external_id: l, email: r.email, phone: r.phone, locale: r.locale, address: r.address, attributes: r.attributes, subscriptions: r.subscriptions,
    });
    id[l] = body.id;
    letter.set(body.id, l);
    await t.deps.db.updateTable('contacts').set({ created_at: daysAgo(r.created) }).where('id', '=', body.id).execute();
  }
  const events = PURCHASES.map(([l, days, value, properties]) => ({
    external_id: l, type: 'purchase', occurred_at: daysAgo(days).toISOString(), value, properties,
  }));
  events.push({ external_id: 'G', type: 'page_view', occurred_at: daysAgo(3).toISOString(), value: undefined as never, properties: { path: '/' } });
  const recorded = await ok('POST', '/v1/events', { events });
  expect(recorded).toMatchObject({ accepted: PURCHASES.length + 1, rejected: [] });

  const campaign: Record<string, number> = {};
  if (options.engagement !== false) {
    const db = t.deps.db;
    const template = await db.insertInto('templates').values({ name: 'history', channel: 'email', subject: 'Hi', text: 'Hi' }).returning('id').executeTakeFirstOrThrow();
    for (const c of CAMPAIGNS) {
      const at = daysAgo(c.launched);
      const row = await db
        .insertInto('campaigns')
        .values({
          name: c.name, channel: 'email', template_id: template.id, topic_id: news.id, audience: JSON.stringify({ all: true }),
          status: 'sent', created_at: at, updated_at: at, launched_at: at, completed_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      campaign[c.name] = Number(row.id);
      for (const [l, status, eng] of c.messages) {
        const message = await db
          .insertInto('messages')
          .values({
            campaign_id: row.id, contact_id: id[l], channel: 'email', status, public_id: `${c.name}-${l}`,
            address: ROWS[l].email ?? null, created_at: at, updated_at: at,
            sent_at: status === 'sent' ? at : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // What people did with it is kept beside the ledger, as the tracking ingestion keeps it.
        if (eng) {
          await db.insertInto('message_engagement').values({
            message_id: message.id, campaign_id: row.id, contact_id: id[l],
            first_open_human_at: eng.opened !== undefined ? daysAgo(eng.opened) : null,
            first_click_human_at: eng.clicked !== undefined ? daysAgo(eng.clicked) : null,
            first_open_machine_at: eng.machineOpened !== undefined ? daysAgo(eng.machineOpened) : null,
          }).execute();
        }
      }
    }
  }

  const members = async (rule: unknown) => {
    const res = await t.json('POST', '/v1/segments/preview', { rule });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The whole dataset fits in one 20-contact sample, so the sample is the exact member set.
    expect(res.body.sample.length).toBe(res.body.count);
    return res.body.sample.map((c: { id: number }) => letter.get(Number(c.id))).sort();
  };
  const problems = async (rule: unknown) => {
    const res = await t.json('POST', '/v1/segments/preview', { rule });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    return res.body.error.details as Array<{ field: string; message: string }>;
  };
  const listMembers = async (listId: number) => {
    const rows = await t.deps.db.selectFrom('list_members').select('contact_id').where('list_id', '=', listId).execute();
    return rows.map((r) => letter.get(Number(r.contact_id))!).sort();
  };
  return { t, id, letter, campaign, topic: { news: Number(news.id), promo: Number(promo.id) }, members, problems, listMembers };
}
