// Segment previews, freezes, campaign previews and launches run under a statement timeout: past it, a 503 naming
// the limit, nothing half done, and the connection back in the pool in a good state. PostgreSQL cancels the
// statement; PGlite, which cannot, refuses it beforehand on the planner's estimate.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { createPostgresDatabase } from '../../src/db/database.js';
import { PGLITE_COST_PER_MS, timeoutMs } from '../../src/db/pglite-cost-guard.js';
import { withStatementTimeout } from '../../src/db/statement-timeout.js';
import { inTransaction } from '../../src/db/transaction.js';
import { QueryTimeoutError } from '../../src/errors.js';
import { segmentRoutes } from '../../src/segments/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { usingPostgres } from '../support/database.js';
import { createCampaign, createTemplate, createTopic, launch } from '../support/fixtures.js';

// 9 million rows: about a second on PostgreSQL, and a planner estimate far above what 50 ms allows on PGlite.
const SLOW = sql<{ n: number }>`select count(*) as n from generate_series(1, 3000) a cross join generate_series(1, 3000) b`;
const CONTACTS = 10_000;
// 50 case-insensitive searches over every email: about half a second of work over 10,000 contacts. Only c777@ matches.
const SLOW_RULE = { any: [{ field: 'email', op: 'contains', value: 'c777@' }, ...Array.from({ length: 49 }, (_, i) => ({ field: 'email', op: 'contains', value: `zz${i}` }))] };
const TIMEOUT = { error: { code: 'query_timeout', message: 'The query was stopped after its 20 ms time limit; narrow the rule or try again later', details: { limit_ms: 20 } } };

let t: TestApp;
let templateId: number;
beforeAll(async () => {
  t = await createTestApp({ SEGMENT_STATEMENT_TIMEOUT_MS: '20', LAUNCH_STATEMENT_TIMEOUT_MS: '20' });
  const topic = await createTopic(t, 'news');
  templateId = await createTemplate(t, 'email');
  await sql`insert into contacts (email, locale) select 'c' || g || '@example.fr', 'fr' from generate_series(1, ${CONTACTS}) g`.execute(t.deps.db);
  await sql`insert into subscriptions (contact_id, channel, topic_id, status) select id, 'email', ${topic.id}, 'subscribed' from contacts`.execute(t.deps.db);
});
afterAll(() => t.close());

const settingNow = async (db: Parameters<typeof SLOW.execute>[0]) =>
  (await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(db)).rows[0].t;

describe('withStatementTimeout', () => {
  it('stops a slow statement with a QueryTimeoutError naming the limit, and leaves no setting behind', async () => {
    const err = await withStatementTimeout(t.deps.db, 50, (trx) => SLOW.execute(trx)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(err).toMatchObject({ code: 'query_timeout', limitMs: 50, details: { limit_ms: 50 } });
    // The limit was local to its transaction.
    expect(await settingNow(t.deps.db)).toBe('0');
    // Within the limit, the work runs and its result comes back.
    expect(await withStatementTimeout(t.deps.db, 60_000, async (trx) => (await sql<{ n: number }>`select 41 + 1 as n`.execute(trx)).rows[0].n)).toBe(42);
  });

  it('statements of the work still queued when one times out never run after the rollback', async () => {
    // A Promise.all: the inserts wait behind the slow count on the transaction's one connection.
    const err = await withStatementTimeout(t.deps.db, 50, async (trx) => {
      const insert = (n: number) => sql`insert into topics (key, name) values (${`stray-${n}`}, 'stray')`.execute(trx);
      await Promise.all([SLOW.execute(trx), insert(1), insert(2), insert(3), insert(4)]);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    const kept = await sql<{ key: string }>`select key from topics where key like 'stray-%'`.execute(t.deps.db);
    expect(kept.rows).toEqual([]);
  });

  it("inside a caller's transaction it sets its limit for its work, then gives the caller's back", async () => {
    const seen = await inTransaction(t.deps.db, async (trx) => {
      await sql`select set_config('statement_timeout', '7s', true)`.execute(trx);
      const inner = await withStatementTimeout(trx, 1500, (work) => settingNow(work));
      return [inner, await settingNow(trx)];
    });
    expect(seen).toEqual(['1500ms', '7s']);
  });

  it.runIf(!usingPostgres)("on PGlite, the estimates of the transaction's statements add up against the limit", async () => {
    // 50 ms allow an estimated cost of 50 × PGLITE_COST_PER_MS = 1,000; each count below is estimated at 750.
    expect(PGLITE_COST_PER_MS).toBe(20);
    const count = sql<{ n: number }>`select count(*) as n from generate_series(1, 60000)`;
    const ran: number[] = [];
    const err = await withStatementTimeout(t.deps.db, 50, async (trx) => {
      ran.push(Number((await count.execute(trx)).rows[0].n));
      ran.push(Number((await count.execute(trx)).rows[0].n));
    }).catch((e: unknown) => e);
    expect(ran).toEqual([60000]);
    expect(err).toMatchObject({ code: 'query_timeout', limitMs: 50 });
    // Each transaction starts afresh.
    expect(await withStatementTimeout(t.deps.db, 50, async (trx) => Number((await count.execute(trx)).rows[0].n))).toBe(60000);
    expect(['0', '250ms', '5s', '2min', '1h'].map(timeoutMs)).toEqual([0, 250, 5000, 120_000, 3_600_000]);
  });

  it.runIf(usingPostgres)('on PostgreSQL, every connection of the pool is usable after timeouts', async () => {
    const url = (t.deps.config.databaseUrl)!;
    const one = createPostgresDatabase(url, { max: 1 });
    try {
      for (let i = 0; i < 3; i++) await expect(withStatementTimeout(one, 20, (trx) => SLOW.execute(trx))).rejects.toBeInstanceOf(QueryTimeoutError);
      // The one connection took all three and still answers, with no limit left on it.
      expect(await settingNow(one)).toBe('0');
      const stuck = await sql<{ n: number }>`select count(*) as n from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'`.execute(one);
      expect(Number(stuck.rows[0].n)).toBe(0);
    } finally {
      await one.destroy();
    }
  });
});

describe('over the API', () => {
  it('a preview past its limit answers 503 query_timeout; the server goes on answering', async () => {
    const res = await t.json('POST', '/v1/segments/preview', { rule: SLOW_RULE });
    expect(res).toEqual({ status: 503, body: TIMEOUT });
    expect((await t.json('GET', '/health')).body.status).toBe('ok');
    expect((await t.json('GET', '/v1/segments')).status).toBe(200);
  });

  it.runIf(usingPostgres)('after the 503, no statement of the preview goes on running on the server', async () => {
    // Statements still queued when the first timed out used to run after the rollback, outside any time limit.
    // With time for the first statements, the one that times out has others queued behind it.
    // Nine times the slow rule's work (450 conditions of the 500 allowed), so each preview outlives 300 ms on a quiet machine.
    const slower = { any: Array.from({ length: 9 }, () => SLOW_RULE) };
    t.deps.config.statementTimeoutMs = { segment: 300, launch: 20 };
    const answers = await Promise.all([1, 2, 3].map(() => t.json('POST', '/v1/segments/preview', { rule: slower })));
    t.deps.config.statementTimeoutMs = { segment: 20, launch: 20 };
    expect(answers.map((a) => a.body.error?.code), JSON.stringify(answers[0].body)).toEqual(['query_timeout', 'query_timeout', 'query_timeout']);
    const active = await sql<{ q: string }>`select query as q from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`.execute(t.deps.db);
    expect(active.rows).toEqual([]);
  });

  it('a saved segment: preview and freeze answer 503, and the freeze leaves no list behind', async () => {
    const segment = expectStatus(await t.api(segmentRoutes.createSegmentRoute, { json: { name: 'slow', rule: SLOW_RULE } }), 201).id;
    const previewed = await t.api(segmentRoutes.previewSegmentRoute, { param: { id: segment } });
    expect(previewed).toEqual({ status: 503, body: TIMEOUT });
    const frozen = await t.api(segmentRoutes.freezeSegmentRoute, { param: { id: segment }, json: { name: 'slow, frozen' } });
    expect(frozen).toEqual({ status: 503, body: TIMEOUT });
    expect((await t.json('GET', '/v1/lists')).body.data).toEqual([]);
  });

  it('a campaign: preview and launch answer 503 and nothing is snapshotted; with time enough it launches', async () => {
    const segment = expectStatus(await t.api(segmentRoutes.createSegmentRoute, { json: { name: 'slow too', rule: SLOW_RULE } }), 201).id;
    const campaign = await createCampaign(t, { template_id: templateId, topic: 'news', audience: { segment_id: segment } });
    expect(await t.api(campaignRoutes.previewCampaignRoute, { param: { id: campaign } })).toEqual({ status: 503, body: TIMEOUT });
    expect(await t.api(campaignRoutes.launchCampaignRoute, { param: { id: campaign } })).toEqual({ status: 503, body: TIMEOUT });
    expect(expectStatus(await t.api(campaignRoutes.getCampaignRoute, { param: { id: campaign } }), 200)).toMatchObject({ status: 'draft', counts: { audience: 0 } });
    // The limits are read per request: given time, the same campaign launches to c777@ alone.
    t.deps.config.statementTimeoutMs = { segment: 60_000, launch: 60_000 };
    expect((await launch(t, campaign)).counts).toMatchObject({ audience: 1, targeted: 1, sent: 1 });
  });
});
