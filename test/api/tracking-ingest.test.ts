// Ingestion in batches: hits are classified in time order across the batch and the database, written once even when a
// batch comes twice, and kept by the Node writer through a failed write until the database takes them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBufferedHitWriter, ingestHits, isRawHit, type RawHit } from '../../src/tracking/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BROWSER = { 'accept-language': 'fr', 'sec-fetch-mode': 'navigate' };
let t: TestApp;
let messages: string[];

const hit = (messageId: string, at: string, extra: Partial<RawHit> = {}): RawHit => ({
  id: crypto.randomUUID(), kind: 'open', messageId, link: null, honeypot: false, method: 'GET', userAgent: CHROME, ip: null,
  headers: BROWSER, at, ...extra,
});
const rows = () => t.deps.db.selectFrom('tracking_hits').select(['hit_id', 'kind', 'link_index', 'class', 'rule']).orderBy('occurred_at').orderBy('id').execute();
const count = async () => Number((await sql<{ n: string }>`select count(*) as n from tracking_hits`.execute(t.deps.db)).rows[0].n);

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-03-02T10:00:00Z') });
  await createTopic(t, 'news');
  for (const email of ['a@example.fr', 'b@example.fr', 'c@example.fr']) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const template = await createTemplate(t, 'email', { mjml: mjml('<a href="https://shop.example/1">1</a><a href="https://shop.example/2">2</a>') });
  await launch(t, await createCampaign(t, { template_id: template, topic: 'news' }));
  messages = (await t.deps.db.selectFrom('messages').select('public_id').orderBy('id').execute()).map((m) => m.public_id!);
});
afterAll(() => t.close());

describe('ingestHits', () => {
  it('classifies a batch in time order: the second of two links clicked 0.5 s apart is a burst, whatever the arrival order', async () => {
    const [m] = messages;
    const second = hit(m, '2026-03-02T12:00:00.500Z', { kind: 'click', link: 1 });
    const first = hit(m, '2026-03-02T12:00:00.000Z', { kind: 'click', link: 0 });
    expect(await ingestHits(t.deps.db, [second, first])).toBe(2);
    expect((await rows()).map((r) => [r.hit_id, r.link_index, r.class, r.rule])).toEqual([
      [first.id, 0, 'human', 'default_human'], [second.id, 1, 'machine', 'link_burst'],
    ]);
    // A third link a second later, in a later batch: its message's earlier clicks are read from the database.
    await ingestHits(t.deps.db, [hit(m, '2026-03-02T12:00:01.400Z', { kind: 'click', link: 0 })]);
    expect((await rows()).at(-1)).toMatchObject({ link_index: 0, class: 'machine', rule: 'link_burst' });
  });

  it('writes a batch delivered twice once, and drops hits of messages that do not exist', async () => {
    const before = await count();
    const batch = [hit(messages[1], '2026-03-02T13:00:00Z'), hit('0123456789abcdefghij', '2026-03-02T13:00:01Z'), hit(messages[2], '2026-03-02T13:00:02Z')];
    expect(await ingestHits(t.deps.db, batch)).toBe(2);
    await ingestHits(t.deps.db, batch);
    expect(await count()).toBe(before + 2);
  });
});

describe('a queued body', () => {
  it('is taken as a hit only when it has the shape this code writes', () => {
    const good = hit('0123456789abcdefghij', '2026-03-02T13:00:00Z', { kind: 'click', link: 2 });
    expect(isRawHit(good)).toBe(true);
    for (const bad of [null, 'x', { ...good, at: 'yesterday' }, { ...good, kind: 'view' }, { ...good, link: 1.5 }, { ...good, id: 3 }, { ...good, headers: null }]) {
      expect([bad, isRawHit(bad)]).toEqual([bad, false]);
    }
  });
});

describe('the buffered writer', () => {
  it('writes 2,500 hits in batches on flush', async () => {
    const before = await count();
    const writer = createBufferedHitWriter(t.deps.db, t.deps.log, { flushMs: 5 });
    for (let i = 0; i < 2500; i++) await writer.enqueue(hit(messages[i % 3], new Date(Date.UTC(2026, 2, 3, 9, 0, 0, i)).toISOString()));
    await writer.close();
    expect(await count()).toBe(before + 2500);
  });

  it('keeps hits through a failed write and writes them when the database takes them again', async () => {
    const before = await count();
    const errors: string[] = [];
    const log = { info: () => undefined, error: (event: string) => void errors.push(event) };
    const writer = createBufferedHitWriter(t.deps.db, log, { flushMs: 5 });
    await sql`alter table tracking_hits rename to tracking_hits_away`.execute(t.deps.db);
    try {
      for (let i = 0; i < 10; i++) await writer.enqueue(hit(messages[0], `2026-03-04T09:00:0${i}Z`));
      await writer.flush();
      expect(errors).toEqual(['tracking hits not written, will retry']);
    } finally {
      await sql`alter table tracking_hits_away rename to tracking_hits`.execute(t.deps.db);
    }
    await writer.close();
    expect(await count()).toBe(before + 10);
  });

  it('while the database refuses, new hits wait behind the retry with its backoff instead of each starting a write', async () => {
    const before = await count();
    const errors: string[] = [];
    const log = { info: () => undefined, error: (event: string) => void errors.push(event) };
    const writer = createBufferedHitWriter(t.deps.db, log, { flushMs: 5 });
    await sql`alter table tracking_hits rename to tracking_hits_away`.execute(t.deps.db);
    try {
      for (let i = 0; i < 3000; i++) {
        await writer.enqueue(hit(messages[i % 3], new Date(Date.UTC(2026, 2, 5, 9, 0, 0, i)).toISOString()));
        if (i % 100 === 0) await new Promise((r) => setTimeout(r, 10));
      }
      // About 300 ms of arrivals: a write per batch of arrivals would have failed ~30 times; the backoff allows a few.
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.length).toBeLessThanOrEqual(8);
    } finally {
      await sql`alter table tracking_hits_away rename to tracking_hits`.execute(t.deps.db);
    }
    await writer.close();
    expect(await count()).toBe(before + 3000);
  });
});

describe('concurrent batches (queue consumers in parallel)', () => {
  it('fold into the rollups exactly, without a deadlock, when they touch the same messages in opposite orders', async () => {
    const opens = async () => (await t.deps.db.selectFrom('message_engagement').select('opens_human').execute()).reduce((a, r) => a + r.opens_human, 0);
    const hourly = async () => Number((await sql<{ n: string }>`select coalesce(sum(events), 0) as n from campaign_hourly where metric = 'open_human'`.execute(t.deps.db)).rows[0].n);
    const [opensBefore, hourlyBefore] = [await opens(), await hourly()];
    // Eight batches of 60 opens over the three messages, half listing them forward and half backward, all at once.
    const batches = [...Array(8).keys()].map((b) => {
      const order = b % 2 ? [...messages].reverse() : messages;
      return [...Array(60).keys()].map((i) => hit(order[i % 3], `2026-03-03T${String(10 + (i % 12)).padStart(2, '0')}:00:0${b}.000Z`));
    });
    const kept = await Promise.all(batches.map((batch) => ingestHits(t.deps.db, batch)));
    expect(kept).toEqual(batches.map(() => 60));
    expect([await opens() - opensBefore, await hourly() - hourlyBefore]).toEqual([480, 480]);
  });
});
