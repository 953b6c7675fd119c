// Campaigns on the Worker go through the send queue (relais-send): a launch enqueues descriptors, the queue consumer
// sends them, the cron enqueues again what became due. Each recipient gets one mail, whatever is delivered twice.
// The database is reached directly for what the API does not show (the hold, `enqueued_until`) or cannot make happen
// (time passing, a dead invocation's claims, a failure).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../src/db/database.js';
import { baseUrl, call, json, sesMessages, waitFor } from './support.js';

const RECIPIENTS = 250;
const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `sq${String(i).padStart(3, '0')}@send-queue.test`);
/** The first 150: two descriptors, enough for the tests after the first, and quicker. */
const fewer = addresses.slice(0, 150);
const db = createPostgresDatabase(inject('databaseUrl'), { max: 1 });
let listId: number;
let fewerListId: number;
let templateId: number;

beforeAll(async () => {
  expect((await json('POST', '/v1/topics', { key: 'sq_news', name: 'Send queue' })).status).toBe(201);
  // UTC: a launch at a local time holds everyone until the same instant (test 3).
  const csv = ['email;first_name;timezone;email_topics', ...addresses.map((a, i) => `${a};N${i};UTC;sq_news`)].join('\n');
  const imported = await call('POST', '/v1/contacts/import', csv, { headers: { 'content-type': 'text/csv' } });
  expect(imported.status).toBe(200);
  expect((await imported.json()).created).toBe(RECIPIENTS);
  const list = await json('POST', '/v1/lists', { name: 'Send queue' });
  listId = list.body.id;
  const added = await call('POST', `/v1/lists/${listId}/members/import`, ['email', ...addresses].join('\n'), { headers: { 'content-type': 'text/csv' } });
  expect((await added.json()).added).toBe(RECIPIENTS);
  fewerListId = (await json('POST', '/v1/lists', { name: 'Send queue, fewer' })).body.id;
  const addedFewer = await call('POST', `/v1/lists/${fewerListId}/members/import`, ['email', ...fewer].join('\n'), { headers: { 'content-type': 'text/csv' } });
  expect((await addedFewer.json()).added).toBe(fewer.length);
  const template = await json('POST', '/v1/templates', {
    name: 'Send queue', channel: 'email', subject: 'Bonjour {{first_name}}',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Bonjour <a href="{{unsubscribe_url}}">stop</a></mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  expect(template.status).toBe(201);
  templateId = template.body.id;
});

afterAll(async () => {
  // Leave no contact behind for the other files' audience counts.
  await sql`delete from contacts where email like '%@send-queue.test'`.execute(db);
  await db.destroy();
});

async function createCampaign(name: string, list = listId): Promise<number> {
  const campaign = await json('POST', '/v1/campaigns', { name, channel: 'email', template_id: templateId, topic: 'sq_news', audience: { list_ids: [list] } });
  expect(campaign.status).toBe(201);
  return campaign.body.id;
}

const campaign = async (id: number) => (await json('GET', `/v1/campaigns/${id}`)).body;
const untilSent = (id: number) => waitFor(`campaign ${id} to be sent`, async () => ((await campaign(id)).status === 'sent' ? campaign(id) : undefined), 60_000);
const untilSentCount = (id: number, n: number) => waitFor(`${n} sent`, async () => ((await campaign(id)).counts.sent === n ? true : undefined), 60_000);
/** Recipients of the mails SES accepted since `before`, sorted: a duplicate shows twice. */
const recipientsSince = async (before: number) => (await sesMessages()).slice(before).map((m) => m.to[0]).sort();
const hold = async (id: number) => (await db.selectFrom('campaigns').select('enqueued_until').where('id', '=', id).executeTakeFirstOrThrow()).enqueued_until;

/** The every-minute cron, as wrangler dev triggers it; it answers once the run is over. */
async function cron() {
  const res = await fetch(`${baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
  expect([res.status, await res.text()]).toEqual([200, 'ok']);
}

describe('the send queue', () => {
  it('sends a launched campaign through the queue: each recipient one mail, then sent', async () => {
    const id = await createCampaign('Through the queue');
    const before = (await sesMessages()).length;
    expect((await json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(202);
    const done = await untilSent(id);
    expect(done.counts).toMatchObject({ audience: RECIPIENTS, sent: RECIPIENTS, pending: 0, failed: 0 });
    expect(await recipientsSince(before)).toEqual(addresses);
    // Only an enqueue sets the hold: the queue carried it, not a sender in waitUntil.
    const { enqueued_until, launched_at } = await db.selectFrom('campaigns').select(['enqueued_until', 'launched_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(enqueued_until).not.toBeNull();
    // Every writer of the hold sets it at least two minutes past its own clock: the enqueue (two minutes and three
    // seconds for three descriptors), a consumer extending it, or one done early bringing it down to two minutes.
    expect(new Date(enqueued_until!).getTime() - new Date(launched_at!).getTime()).toBeGreaterThanOrEqual(120_000);
  });

  it('a descriptor delivered again sends nothing twice', async () => {
    const id = await createCampaign('Delivered again', fewerListId);
    // The database refuses the campaign's first move to `sent`: the descriptor that finished last fails, and the queue
    // delivers it again (retry_delay), its whole stretch already sent. A sequence counts the attempts: it is not rolled
    // back with the refusal.
    await sql.raw('create sequence sq_finish_attempts').execute(db);
    await sql.raw(`create function sq_refuse_first_finish() returns trigger language plpgsql as $$
      begin
        if nextval('sq_finish_attempts') = 1 then raise exception 'send-queue test: first finish refused'; end if;
        return new;
      end $$`).execute(db);
    await sql.raw(`create trigger sq_refuse_first_finish before update of status on campaigns for each row
      when (old.status = 'sending' and new.status = 'sent' and new.id = ${Number(id)}) execute function sq_refuse_first_finish()`).execute(db);
    try {
      const before = (await sesMessages()).length;
      expect((await json('POST', `/v1/campaigns/${id}/launch`)).status).toBe(202);
      const done = await untilSent(id);
      expect(done.counts).toMatchObject({ sent: fewer.length, pending: 0, failed: 0 });
      // Refused once, then accepted from the descriptor delivered again.
      const attempts = await sql<{ last_value: string }>`select last_value from sq_finish_attempts`.execute(db);
      expect(Number(attempts.rows[0].last_value)).toBe(2);
      expect(await recipientsSince(before)).toEqual(fewer);
    } finally {
      await sql.raw('drop trigger if exists sq_refuse_first_finish on campaigns').execute(db);
      await sql.raw('drop function if exists sq_refuse_first_finish()').execute(db);
      await sql.raw('drop sequence if exists sq_finish_attempts').execute(db);
    }
  });

  it('the cron takes back a dead invocation\'s claims, and enqueues what is due only when the campaign holds no descriptors', async () => {
    const id = await createCampaign('Through the cron', fewerListId);
    // Everyone waits for a local time that has just passed today: tomorrow. Nothing is due, nothing is enqueued.
    const now = new Date(Date.now() - 2 * 60_000);
    const localTime = `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`;
    const before = (await sesMessages()).length;
    expect((await json('POST', `/v1/campaigns/${id}/launch`, { local_time: localTime })).status).toBe(202);
    expect((await campaign(id)).counts).toMatchObject({ pending: fewer.length, local_time: fewer.length, sent: 0 });
    expect(await hold(id)).toBeNull();

    // An invocation claimed the first three and died before handing them over; their lease is over. The campaign
    // holds descriptors for another hour (others are taken to be on the queue).
    const rows = await db.selectFrom('messages').select('id').where('campaign_id', '=', id).orderBy('id').execute();
    const dead = rows.slice(0, 3).map((r) => Number(r.id));
    await sql`update messages set status = 'sending', attempts = 1, not_before = null, deferred_by = null, lease_until = now() - interval '1 minute'
      where id = any(${dead}::bigint[])`.execute(db);
    const held = new Date(Date.now() + 60 * 60_000);
    await db.updateTable('campaigns').set({ enqueued_until: held }).where('id', '=', id).execute();

    // The cron takes the claims back, but enqueues nothing while the campaign holds descriptors.
    await cron();
    const taken = await db.selectFrom('messages').select(['status', 'lease_until']).where('id', 'in', dead).execute();
    expect(taken).toEqual(dead.map(() => ({ status: 'pending', lease_until: null })));
    expect(await hold(id)).toEqual(held);
    expect(await recipientsSince(before)).toEqual([]);

    // Once the hold is over, the cron enqueues them (one descriptor), and they are sent.
    await db.updateTable('campaigns').set({ enqueued_until: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    await cron();
    await untilSentCount(id, 3);
    expect(await recipientsSince(before)).toEqual(addresses.slice(0, 3));
    // Nothing else is due: the consumer ended the hold, so what becomes due is enqueued by the next run.
    await waitFor('the hold to end', async () => ((await hold(id)) === null ? true : undefined));

    // Tomorrow comes: the cron enqueues everyone left. A second run, while they go or once they are gone, enqueues
    // nothing more: an enqueue would set a new hold. The last descriptor finishes the campaign, which keeps its hold.
    await sql`update messages set not_before = now() - interval '1 second' where campaign_id = ${id} and status = 'pending'`.execute(db);
    await cron();
    const enqueued = await hold(id);
    expect(enqueued).not.toBeNull();
    await cron();
    expect(await hold(id)).toEqual(enqueued);
    const done = await untilSent(id);
    expect(done.counts).toMatchObject({ sent: fewer.length, pending: 0, failed: 0 });
    expect(await hold(id)).toEqual(enqueued);
    expect(await recipientsSince(before)).toEqual(fewer);
  });
});
