// A newcomer's first campaign, over HTTP against workerd: contacts, templates, an email campaign sent
// through (local) SES, and the one-click unsubscribe link from the received mail.
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, call, json, publicUrl, sesMessages, waitFor } from './support.js';

const csv = [
  'numero_client;email;prénom;nom;telephone;langue;host;annual_revenue;email_topics;sms_topics',
  'C1;marie@example.fr;Marie;Dupont;06 12 34 56 78;fr;oui;1 254,50;newsletter|promotions;promotions',
  'C2;john@example.com;John;Smith;+1 514 555 0199;en;no;300;newsletter;',
  'C3;not-an-email;Bad;Row;;fr;oui;12;newsletter;',
  'C4;zoe@example.fr;Zoé;Martin;;fr;peut-être;10;newsletter;',
  'C5;paul@example.fr;Paul;Durand;;fr;non;abc;;',
  'C6;lea@example.fr;Léa;Petit;;fr;1;0;;',
].join('\r\n');

const mjml = `<mjml><mj-body><mj-section><mj-column>
<mj-text>Bonjour {{default first_name "cher client"}}, votre chiffre : {{money attributes.annual_revenue "EUR"}}</mj-text>
<mj-text><a href="{{unsubscribe_url}}">Se désabonner</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

let marieId: number;
let emailTemplateId: number;

async function contactByEmail(email: string) {
  const found = await json('GET', `/v1/contacts?email=${encodeURIComponent(email)}`);
  expect(found.status).toBe(200);
  expect(found.body.data).toHaveLength(1);
  return found.body.data[0];
}

async function subscription(contactId: number, topic: string) {
  const contact = await json('GET', `/v1/contacts/${contactId}`);
  return contact.body.subscriptions.find((s: any) => s.topic === topic && s.channel === 'email')?.status;
}

beforeAll(async () => {
  expect((await json('PUT', '/v1/attributes/host', { type: 'boolean' })).status).toBe(201);
  expect((await json('PUT', '/v1/attributes/annual_revenue', { type: 'number' })).status).toBe(201);
  expect((await json('POST', '/v1/topics', { key: 'newsletter', name: 'La lettre' })).status).toBe(201);
  expect((await json('POST', '/v1/topics', { key: 'promotions', name: 'Promotions' })).status).toBe(201);
});

describe('contacts', () => {
  it('creates a contact, then updates the same email', async () => {
    const input = { email: 'anne@example.fr', first_name: 'Anne', locale: 'fr', subscriptions: [{ channel: 'email', topic: 'newsletter' }] };
    const created = await json('POST', '/v1/contacts', input);
    expect(created.status).toBe(201);
    const updated = await json('POST', '/v1/contacts', { ...input, first_name: 'Anne-Sophie' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, first_name: 'Anne-Sophie' });
  });

  it('imports a CSV and reports each bad row by line and field', async () => {
    const res = await call('POST', '/v1/contacts/import', '\uFEFF' + csv, { headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect([report.created, report.updated]).toEqual([3, 0]);
    expect(report.rejected).toEqual([
      { line: 4, errors: [{ field: 'email', message: '"not-an-email" is not a valid email address' }] },
      { line: 5, errors: [{ field: 'attributes.host', message: '"peut-être" is not a yes/no value (true/false, yes/no, oui/non, 1/0)' }] },
      { line: 6, errors: [{ field: 'attributes.annual_revenue', message: '"abc" is not a number' }] },
    ]);
    const marie = await contactByEmail('marie@example.fr');
    expect(marie).toMatchObject({ external_id: 'C1', first_name: 'Marie', phone: '+33612345678', attributes: { host: true, annual_revenue: 1254.5 } });
    marieId = marie.id;
  });
});

describe('templates', () => {
  it('creates an MJML email template and previews it for a contact', async () => {
    const template = await json('POST', '/v1/templates', { name: 'Lettre', channel: 'email', subject: 'Bonjour {{default first_name "cher client"}}', mjml });
    expect(template.status).toBe(201);
    expect(template.body.warnings).toEqual([]);
    emailTemplateId = template.body.id;
    const preview = await json('POST', `/v1/templates/${emailTemplateId}/preview`, { contact_id: marieId });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Bonjour Marie');
    expect(preview.body.html).toContain('Bonjour Marie, votre chiffre : 1\u202f254,50\u00a0€');
    expect(preview.body.text).toContain('votre chiffre : 1\u202f254,50\u00a0€');
  });

  it('previews an SMS template with its encoding and segments', async () => {
    const template = await json('POST', '/v1/templates', { name: 'Promo SMS', channel: 'sms', text: '{{first_name}}, -20% ce week-end avec le code FETE20' });
    expect(template.status).toBe(201);
    const preview = await json('POST', `/v1/templates/${template.body.id}/preview`, { contact_id: marieId });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ text: 'Marie, -20% ce week-end avec le code FETE20 STOP SMS', encoding: 'GSM-7', segments: 1 });
  });

  it('refuses malformed Handlebars and MJML with 422 and line numbers', async () => {
    const badHandlebars = await json('POST', '/v1/templates', {
      name: 'Cassé', channel: 'email', subject: 'Bonjour',
      mjml: '<mjml><mj-body><mj-section><mj-column>\n<mj-text>Bonjour</mj-text>\n<mj-text>{{#if attributes.host}}Merci{{/each}}</mj-text>\n</mj-column></mj-section></mj-body></mjml>',
    });
    expect(badHandlebars.status).toBe(422);
    expect(badHandlebars.body.error.details).toEqual([{ field: 'mjml', message: expect.stringMatching(/^line 3: /) }]);

    const badMjml = await json('POST', '/v1/templates', {
      name: 'Cassé', channel: 'email', subject: 'Bonjour',
      mjml: '<mjml><mj-body>\n<mj-section>\n<mj-text>Pas dans une colonne</mj-text>\n</mj-section>\n</mj-body></mjml>',
    });
    expect(badMjml.status).toBe(422);
    expect(badMjml.body.error.details).toEqual([{ field: 'mjml', message: expect.stringMatching(/^line 3: mj-text cannot be used inside mj-section/) }]);
  });
});

describe('an email campaign', () => {
  it('is sent through SES with personalised subjects and one-click unsubscribe headers', async () => {
    // The audience is this file's contacts: the Worker's database is shared by every file, in any order.
    const ids = [];
    for (const email of ['anne@example.fr', 'marie@example.fr', 'john@example.com', 'lea@example.fr']) ids.push((await contactByEmail(email)).id);
    const list = await json('POST', '/v1/lists', { name: 'Lettre de novembre' });
    expect((await json('POST', `/v1/lists/${list.body.id}/members`, { contact_ids: ids })).status).toBe(200);
    const campaign = await json('POST', '/v1/campaigns', {
      name: 'Lettre de novembre', channel: 'email', template_id: emailTemplateId, topic: 'newsletter', audience: { list_ids: [list.body.id] },
    });
    expect(campaign.status).toBe(201);
    // Only this campaign's messages: other files may have sent through the same SES server before.
    const sesBefore = (await sesMessages()).length;
    expect((await json('POST', `/v1/campaigns/${campaign.body.id}/launch`)).status).toBe(202);
    const done = await waitFor('the campaign to be sent', async () => {
      const current = await json('GET', `/v1/campaigns/${campaign.body.id}`);
      return current.body.status === 'sent' ? current.body : undefined;
    });
    // Anne (API), Marie and John (CSV) are subscribed; Léa has no topics.
    expect(done.counts).toMatchObject({ audience: 4, targeted: 3, sent: 3, failed: 0, skipped: { not_subscribed: 1 } });

    const messages = (await sesMessages()).slice(sesBefore);
    expect(messages.map((m) => m.to[0]).sort()).toEqual(['anne@example.fr', 'john@example.com', 'marie@example.fr']);
    const raw = messages.find((m) => m.to[0] === 'marie@example.fr')!.raw;
    const mail = await PostalMime.parse(raw);
    expect(mail.to?.[0]?.address).toBe('marie@example.fr');
    expect(mail.subject).toBe('Bonjour Marie');
    expect(mail.html).toContain('Bonjour Marie, votre chiffre : 1\u202f254,50\u00a0€');
    const header = (name: string) => mail.headers.find((h) => h.key === name.toLowerCase())?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = new RegExp(`^<(${publicUrl.replace(/\./g, '\\.')}/u/[A-Za-z0-9_.-]+)>$`).exec(header('List-Unsubscribe') ?? '')?.[1];
    expect(unsubscribeUrl).toBeDefined();
    expect(mail.html).toContain(`href="${unsubscribeUrl}"`);

    // Tracking in workerd: the pixel answers a GIF, and the honeypot link (the last /t/c/ link) a 204; both are counted.
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(mail.html ?? '')![1];
    const opened = await fetch(baseUrl + new URL(pixel).pathname, { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko)', 'accept-language': 'fr' } });
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'image/gif']);
    const honeypot = [...(mail.html ?? '').matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].at(-1)![1];
    expect((await fetch(baseUrl + new URL(honeypot).pathname, { redirect: 'manual' })).status).toBe(204);
    // The hits went through the tracking queue; its consumer writes them within a second or so.
    const engagement = await waitFor('the queue consumer to write both hits', async () => {
      const e = (await json('GET', `/v1/campaigns/${campaign.body.id}/report`)).body.engagement;
      return e.opens.human + e.clicks.machine === 2 ? e : undefined;
    });
    expect(engagement.opens).toMatchObject({ human: 1, machine: 0, unique_human: 1 });
    expect(engagement.clicks).toMatchObject({ human: 0, machine: 1, by_link: [] });

    // The link points at PUBLIC_URL; the same path on the Worker. GET (scanners prefetch) changes nothing.
    const path = new URL(unsubscribeUrl!).pathname;
    expect((await fetch(baseUrl + path, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(baseUrl + path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await subscription(marieId, 'newsletter')).toBe('subscribed');

    // RFC 8058: no auth, a form body, a 200 without redirect.
    const post = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(post.status).toBe(200);
    expect(await subscription(marieId, 'newsletter')).toBe('unsubscribed');
    expect(await subscription(marieId, 'promotions')).toBe('subscribed');

    // A tampered token acts on nobody.
    const tampered = path.slice(0, -2) + (path.endsWith('A') ? 'BB' : 'AA');
    expect((await fetch(baseUrl + tampered, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
  });
});
