// The Worker answers like the Node server: health, auth and the OpenAPI document.
import { describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../src/db/database.js';
import { baseUrl, call, json, sesMessages, waitFor } from './support.js';

describe('the Worker', () => {
  it('reports its runtime and a reachable PostgreSQL through Hyperdrive', async () => {
    const health = await json('GET', '/health', undefined, { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      runtime: 'worker',
      database: { kind: 'postgres', status: 'ok' },
      transports: { email: 'ses' },
      renderer: 'interpreted',
    });
  });

  it('refuses the API without a key, or with a wrong one', async () => {
    const none = await json('GET', '/v1/contacts', undefined, { key: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect((await call('GET', '/v1/contacts', undefined, { key: 'rk_not-a-real-key' })).status).toBe(401);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const doc = await json('GET', '/openapi.json', undefined, { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.servers).toEqual([{ url: 'https://mail.example.test' }]);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/contacts', '/v1/templates/{id}/preview', '/v1/campaigns/{id}/launch']));
  });

  it('runs the cron handler, which sends a deferred message once it is due', async () => {
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await json(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    const address = 'cron@example.test';
    await ok('POST', '/v1/topics', { key: 'cron-check', name: 'Cron check' });
    const contact = await ok('POST', '/v1/contacts', { email: address, timezone: 'UTC', subscriptions: [{ channel: 'email', topic: 'cron-check' }] });
    const list = await ok('POST', '/v1/lists', { name: 'cron check' });
    await ok('POST', `/v1/lists/${list.id}/members`, { contact_ids: [contact.id] });
    const template = await ok('POST', '/v1/templates', { name: 'cron', channel: 'email', subject: 'Due now', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>' });
    const campaign = await ok('POST', '/v1/campaigns', { name: 'cron', channel: 'email', template_id: template.id, topic: 'cron-check', audience: { list_ids: [list.id] } });
    const sesBefore = (await sesMessages()).length;
    const db = createPostgresDatabase(inject('databaseUrl'), { max: 1 });
    const quiet = await ok('GET', '/v1/settings/quiet-hours');
    try {
      // Email may go only on a weekday three days from today (never today, in any time zone): the launch defers it.
      const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 3) % 7];
      await ok('PUT', '/v1/settings/quiet-hours', { rules: [...quiet.rules, { channel: 'email', days: [day], from: '00:00', to: '24:00', skip_holidays: false }] });
      expect((await json('POST', `/v1/campaigns/${campaign.id}/launch`)).status).toBe(202);
      const deferred = await waitFor('the launch to defer the message', async () => {
        const c = (await json('GET', `/v1/campaigns/${campaign.id}`)).body;
        return c.counts.deferred === 1 ? c : undefined;
      });
      expect(deferred).toMatchObject({ status: 'sending', counts: { pending: 1, deferred: 1, sent: 0 } });
    } finally {
      await ok('PUT', '/v1/settings/quiet-hours', { rules: quiet.rules });
    }
    // Time passes: the message is due now. Only a sender started by the cron can send it.
    const due = await db.updateTable('messages').set({ not_before: new Date(Date.now() - 1000) }).where('campaign_id', '=', campaign.id).where('status', '=', 'pending').executeTakeFirst();
    await db.destroy();
    expect(Number(due.numUpdatedRows)).toBe(1);
    expect((await sesMessages()).length).toBe(sesBefore);

    // wrangler dev's test route for scheduled(); failures inside waitUntil only show in the Worker's log.
    const res = await fetch(`${baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
    expect(res.status).toBe(200);
    const sent = await waitFor('the cron to send the message', async () => {
      const c = (await json('GET', `/v1/campaigns/${campaign.id}`)).body;
      return c.status === 'sent' ? c : undefined;
    });
    expect(sent.counts).toMatchObject({ audience: 1, sent: 1, pending: 0, deferred: 0, failed: 0 });
    const mails = (await sesMessages()).slice(sesBefore);
    expect(mails.map((m) => m.to[0])).toEqual([address]);

    // Leave no contact behind for the other files' audience counts.
    expect((await call('DELETE', `/v1/contacts/${contact.id}`)).status).toBe(204);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const missing = await json('GET', '/nowhere', undefined, { key: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
