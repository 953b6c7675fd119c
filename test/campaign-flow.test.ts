// The vertical slice: customer file → template → email and SMS campaigns → personalised files in the outbox.
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { createTemplate, createTopic } from './support/fixtures.js';

let t: TestApp;
/** The email campaign sent below, which the next test tries to launch again. */
let emailCampaignId: number | undefined;

beforeAll(async () => {
  t = await createTestApp();
  await t.json('PUT', '/v1/attributes/host', { type: 'boolean' });
  await t.json('PUT', '/v1/attributes/annual_revenue', { type: 'number' });
  await createTopic(t, 'newsletter', { name: 'La lettre' });
  await createTopic(t, 'promotions', { name: 'Promotions' });
  // SMS quiet hours depend on the time of day; this test is about the slice, not the clock.
  await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] });
});
afterAll(() => t.close());

const csv = [
  'numero_client;email;prénom;nom;telephone;langue;host;annual_revenue;email_topics;sms_topics',
  'C1;marie@example.fr;Marie;Dupont;06 12 34 56 78;fr;oui;1 254,50;newsletter|promotions;promotions',
  'C2;john@example.com;John;Smith;+1 514 555 0199;en;no;300;newsletter;',
  'C3;not-an-email;Bad;Row;;fr;oui;12;newsletter;',
  'C4;zoe@example.fr;Zoé;Martin;;fr;peut-être;10;newsletter;',
  'C5;paul@example.fr;Paul;Durand;;fr;non;abc;;',
  'C6;lea@example.fr;Léa;Petit;;fr;1;0;;',
].join('\r\n');

describe('the first campaign', () => {
  it('imports a CSV and reports each bad row by line and field', async () => {
    const res = await t.call('POST', '/v1/contacts/import', '\uFEFF' + csv, { headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.created).toBe(3);
    expect(report.updated).toBe(0);
    expect(report.rejected).toEqual([
      { line: 4, errors: [{ field: 'email', message: '"not-an-email" is not a valid email address' }] },
      { line: 5, errors: [{ field: 'attributes.host', message: '"peut-être" is not a yes/no value (true/false, yes/no, oui/non, 1/0)' }] },
      { line: 6, errors: [{ field: 'attributes.annual_revenue', message: '"abc" is not a number' }] },
    ]);
    const marie = await t.json('GET', '/v1/contacts?email=marie@example.fr');
    expect(marie.body.data).toHaveLength(1);
    expect(marie.body.data[0]).toMatchObject({
      external_id: 'C1', first_name: 'Marie', phone: '+33612345678', locale: 'fr',
      attributes: { host: true, annual_revenue: 1254.5 },
    });
  });

  it('is idempotent: importing the same file again updates and creates nothing', async () => {
    const res = await t.call('POST', '/v1/contacts/import', csv, { headers: { 'content-type': 'text/csv' } });
    const report = await res.json();
    expect([report.created, report.updated, report.rejected.length]).toEqual([0, 3, 3]);
    const all = await t.json('GET', '/v1/contacts?limit=500');
    expect(all.body.data).toHaveLength(3);
  });

  it('sends a personalised email campaign with one-click unsubscribe headers', async () => {
    const template = await createTemplate(t, 'email', {
      name: 'Lettre',
      subject: 'Bonjour {{default first_name "cher client"}}',
      mjml: `<mjml><mj-body><mj-section><mj-column>
<mj-text>Bonjour {{default first_name "cher client"}}, votre chiffre : {{money attributes.annual_revenue "EUR"}}</mj-text>
<mj-text><a href="{{unsubscribe_url}}">Se désabonner</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`,
    });
    const campaign = await t.json('POST', '/v1/campaigns', {
      name: 'Lettre de novembre', channel: 'email', template_id: template, topic: 'newsletter', audience: { all: true },
    });
    expect(campaign.status).toBe(201);
    emailCampaignId = campaign.body.id;
    const launch = await t.json('POST', `/v1/campaigns/${campaign.body.id}/launch`);
    expect(launch.status).toBe(202);
    await t.deps.background.idle();
    const done = await t.json('GET', `/v1/campaigns/${campaign.body.id}`);
    expect(done.body.status).toBe('sent');
    expect(done.body.counts).toMatchObject({ audience: 3, targeted: 2, sent: 2, failed: 0, skipped: { not_subscribed: 1 } });

    const files = await t.outboxFiles('.eml');
    expect(files).toHaveLength(2);
    const mails = await Promise.all(files.map((f) => PostalMime.parse(f.content)));
    const marie = mails.find((m) => m.to?.[0]?.address === 'marie@example.fr')!;
    expect(marie.subject).toBe('Bonjour Marie');
    expect(marie.text).toContain('votre chiffre : 1\u202f254,50\u00a0€');
    expect(marie.html).toContain('Bonjour Marie, votre chiffre : 1\u202f254,50\u00a0€');
    const header = (name: string) => marie.headers.find((h) => h.key === name.toLowerCase())?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<(https:\/\/mail\.example\.test\/u\/[A-Za-z0-9_.-]+)>$/.exec(header('List-Unsubscribe') ?? '')?.[1];
    expect(unsubscribeUrl).toBeDefined();
    expect(marie.html).toContain(`href="${unsubscribeUrl}"`);

    // Scanners prefetch: GET and HEAD show a page and change nothing.
    const path = new URL(unsubscribeUrl!).pathname;
    expect((await t.app.request(path, { method: 'HEAD' })).status).toBe(200);
    const page = await t.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const before = await t.json('GET', '/v1/contacts?email=marie@example.fr');
    expect(before.body.data[0].id).toBeDefined();
    const contact = await t.json('GET', `/v1/contacts/${before.body.data[0].id}`);
    expect(contact.body.subscriptions.find((s: any) => s.topic === 'newsletter' && s.channel === 'email').status).toBe('subscribed');

    // RFC 8058: the POST has no cookies or auth, a form body, and gets a 200 without redirect.
    const post = await t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    const after = await t.json('GET', `/v1/contacts/${before.body.data[0].id}`);
    expect(after.body.subscriptions.find((s: any) => s.topic === 'newsletter' && s.channel === 'email').status).toBe('unsubscribed');
    expect(after.body.subscriptions.find((s: any) => s.topic === 'promotions' && s.channel === 'email').status).toBe('subscribed');

    // A tampered token acts on nobody.
    const tampered = path.slice(0, -2) + (path.endsWith('A') ? 'BB' : 'AA');
    expect((await t.app.request(tampered, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
  });

  it('launching twice sends nobody a second message', async () => {
    expect(emailCampaignId, 'the email campaign test ran first').toBeDefined();
    const again = await t.json('POST', `/v1/campaigns/${emailCampaignId}/launch`);
    expect(again.status).toBe(409);
    await t.deps.background.idle();
    expect(await t.outboxFiles('.eml')).toHaveLength(2);
  });

  it('sends an SMS campaign to SMS subscribers with a phone', async () => {
    const template = await createTemplate(t, 'sms', { name: 'Promo SMS', text: '{{first_name}}, -20% ce week-end avec le code FETE20' });
    const campaign = await t.json('POST', '/v1/campaigns', {
      name: 'Promo SMS', channel: 'sms', template_id: template, topic: 'promotions', audience: { all: true },
    });
    await t.json('POST', `/v1/campaigns/${campaign.body.id}/launch`);
    await t.deps.background.idle();
    const done = await t.json('GET', `/v1/campaigns/${campaign.body.id}`);
    expect(done.body.counts).toMatchObject({ audience: 3, targeted: 1, sent: 1, skipped: { no_address: 1, not_subscribed: 1 } });
    const [sms] = await t.outboxFiles('.json');
    const body = JSON.parse(sms.content);
    expect(body).toMatchObject({ to: '+33612345678', from: 'RELAIS', text: 'Marie, -20% ce week-end avec le code FETE20 STOP SMS', encoding: 'GSM-7', segments: 1 });
  });
});
