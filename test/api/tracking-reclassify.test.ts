// Reclassifying stored hits: the verdicts follow the rules and settings of now, the counts are rebuilt from the raw
// hits (never doubled), and the admin's request is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOldHits, reclassifyCampaign } from '../../src/tracking/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';
import { APPLE_PROXY, hit, mailTo, sentMails } from '../support/tracking.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
let clock = NOW;
let t: TestApp;
let campaign: number;

const report = async () => (await t.json('GET', `/v1/campaigns/${campaign}/report`)).body.engagement;
const verdicts = async () =>
  (await t.deps.db.selectFrom('tracking_hits').select(['kind', 'link_index', 'class', 'rule']).orderBy('id').execute()).map((h) => `${h.kind}${h.link_index ?? ''}:${h.class}:${h.rule}`);

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => clock });
  await createTopic(t, 'news');
  for (const email of ['ana@example.fr', 'ben@example.fr']) await createContact(t, { email, subscriptions: [{ channel: 'email', topic: 'news' }] });
  const template = await createTemplate(t, 'email', { mjml: mjml('<a href="https://shop.example/a">A</a> <a href="https://shop.example/b">B</a>') });
  campaign = await createCampaign(t, { template_id: template, topic: 'news' });
  await launch(t, campaign);
  const mails = await sentMails(t);
  const ana = mailTo(mails, 'ana@example.fr');
  const ben = mailTo(mails, 'ben@example.fr');
  // Ana's two links one second apart: at ingestion the first is a person's (nothing came before), the second a burst.
  clock = new Date(NOW.getTime() + 3600_000);
  await hit(t, ana.clicks[0]);
  clock = new Date(NOW.getTime() + 3601_000);
  await hit(t, ana.clicks[1]);
  // Ben opens; so does Apple's proxy.
  await hit(t, ben.pixel!);
  await hit(t, ben.pixel!, APPLE_PROXY);
  await t.deps.hits.flush();
});
afterAll(() => t.close());

describe('reclassifying a campaign', () => {
  it('knowing every click of the message, the first click of a burst is a machine too; counts are rebuilt, not added', async () => {
    expect(await verdicts()).toEqual(['click0:human:default_human', 'click1:machine:link_burst', 'open:human:default_human', 'open:machine:apple_mpp']);
    expect((await report()).clicks).toMatchObject({ human: 1, machine: 1, unique_human: 1, unique_machine: 1 });

    for (let run = 0; run < 2; run++) {
      const result = await reclassifyCampaign(t.deps.db, campaign);
      expect(result).toEqual({ campaign_id: campaign, hits: 4, changed: run === 0 ? 1 : 0, rules: { link_burst: 2, default_human: 1, apple_mpp: 1 } });
    }
    expect(await verdicts()).toEqual(['click0:machine:link_burst', 'click1:machine:link_burst', 'open:human:default_human', 'open:machine:apple_mpp']);
    const e = await report();
    expect(e.clicks).toEqual({
      human: 0, machine: 2, unique_human: 0, unique_machine: 1,
      by_link: [{ link: 0, url: 'https://shop.example/a', human: 0, machine: 1 }, { link: 1, url: 'https://shop.example/b', human: 0, machine: 1 }],
    });
    expect(e.opens).toEqual({ human: 1, machine: 1, unique_human: 1, unique_machine: 1 });
    expect([e.opened, e.clicked]).toEqual([1, 0]);
  });

  it('with other settings (no burst rule), the same hits are people\'s again', async () => {
    const result = await reclassifyCampaign(t.deps.db, campaign, { earlyClickSeconds: 20, burstSeconds: 0 });
    expect([result.changed, result.rules]).toEqual([2, { default_human: 3, apple_mpp: 1 }]);
    const e = await report();
    expect(e.clicks).toMatchObject({ human: 2, machine: 0, unique_human: 1, unique_machine: 0 });
    expect(e.clicked).toBe(1);
  });

  it('the API: admins only, in the background, audited; an unknown campaign is a 404', async () => {
    expect((await t.json('POST', '/v1/tracking/reclassify', { campaign_id: campaign }, { key: t.keys.marketer })).status).toBe(403);
    expect((await t.json('POST', '/v1/tracking/reclassify', { campaign_id: 999_999 })).status).toBe(404);
    const res = await t.json('POST', '/v1/tracking/reclassify', { campaign_id: campaign });
    expect([res.status, res.body]).toEqual([202, { campaign_id: campaign, status: 'started' }]);
    await t.deps.background.idle();
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', 'tracking.reclassified').execute();
    expect(audit).toEqual([{ actor: 'admin', subject: `campaign:${campaign}`, details: expect.objectContaining({ hits: 4, changed: 2, actor_key_id: expect.any(Number) }) }]);
    expect((await report()).clicks).toMatchObject({ human: 0, machine: 2 });
  });
});

describe('pruning raw hits past their retention', () => {
  it('deletes the old raw hits, keeps the counts, and a campaign whose hits were pruned cannot be reclassified', async () => {
    const before = await report();
    const old = new Date(NOW.getTime() + 400 * 86_400_000);
    // 395 days after the hits (the default), nothing is old enough yet; 401 days after, all are.
    expect(await pruneOldHits(t.deps.db, new Date(NOW.getTime() + 395 * 86_400_000), 395)).toEqual({ deleted: 0 });
    expect(await pruneOldHits(t.deps.db, old, 0)).toEqual({ deleted: 0 });
    clock = new Date(NOW.getTime() + 401 * 86_400_000);
    expect(await pruneOldHits(t.deps.db, clock, 395)).toEqual({ deleted: 4 });
    expect(await t.deps.db.selectFrom('tracking_hits').select('id').execute()).toEqual([]);
    expect(await report()).toEqual(before);
    const res = await t.json('POST', '/v1/tracking/reclassify', { campaign_id: campaign });
    expect([res.status, res.body.error.code]).toEqual([409, 'conflict']);
  });
});
