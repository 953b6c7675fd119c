// Templates whose rendering is bounded: a template that explodes or cannot render is refused when saved (422
// naming the field), a preview answers 422 (never 500), and at send time only the message concerned fails, with
// an error naming the budget, while the campaign goes on.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRoutes } from '../../src/contacts/index.js';
import { templateRoutes } from '../../src/templates/index.js';
import { expectStatus } from '../support/api.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createCampaign, createContact, createList, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['note', 'a', 'b']) {
    expectStatus(await t.api(contactRoutes.putAttributeRoute, { param: { name }, json: { type: 'text' } }), 201);
  }
  await createTopic(t, 'news');
});
afterAll(() => t.close());

/** The template: eight nested loops over the merge data, 193 characters. */
const nested = (n: number) => '{{#each @root}}'.repeat(n) + 'x' + '{{/each}}'.repeat(n);
const details = (res: { body: unknown }) => (res.body as { error: { details: Array<{ field: string; message: string }> } }).error.details;
const BUDGET = /^with sample data \(every field and attribute filled\): Rendering budget exceeded: more than 100000 steps/;

describe('at save time', () => {
  it.each([8, 7, 5])('refuses %i nested loops over the merge data (422 naming the budget)', async (n) => {
    const res = await t.api(templateRoutes.createTemplateRoute, { json: { name: 'boom', channel: 'sms', text: nested(n) } });
    expect(res.status).toBe(422);
    expect(details(res)).toEqual([{ field: 'text', message: expect.stringMatching(BUDGET) }]);
  });

  it('refuses it in an email body, a subject and a variant, also on PUT', async () => {
    const id = await createTemplate(t, 'email');
    const res = await t.api(templateRoutes.replaceTemplateRoute, {
      param: { id },
      json: {
        name: 'boom', channel: 'email', subject: nested(6), mjml: mjml('ok'),
        variants: [{ locale: 'en', subject: 'Hi', mjml: mjml(nested(6)) }],
      },
    });
    expect(res.status).toBe(422);
    expect(details(res)).toEqual([
      { field: 'subject', message: expect.stringMatching(BUDGET) },
      { field: 'variants[0].mjml', message: expect.stringMatching(BUDGET) },
    ]);
    expect(expectStatus(await t.api(templateRoutes.getTemplateRoute, { param: { id } }), 200).version).toBe(1);
  });

  it('refuses a template that validates but cannot render', async () => {
    const res = await t.api(templateRoutes.createTemplateRoute, { json: { name: 'x', channel: 'sms', text: '{{#if true as |x|}}{{x}}{{/if}}' } });
    expect(res.status).toBe(422);
    expect(details(res)).toEqual([{ field: 'text', message: 'line 1: Block parameters (as |x|) only work with #each and #with' }]);
  });

  it('accepts loops that stay within the budget', async () => {
    expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: { name: 'ok', channel: 'sms', text: nested(3) } }), 201);
  });
});

/** A template saved before these checks existed: written straight into the table. */
async function storedTemplate(text: string) {
  const id = await createTemplate(t, 'sms', { text: 'placeholder' });
  await sql`update templates set text = ${text} where id = ${id}`.execute(t.deps.db);
  return id;
}

describe('previews answer 422, never 500', () => {
  it('for a stored template that cannot render', async () => {
    const id = await storedTemplate('{{#if true as |x|}}{{x}}{{/if}}');
    const res = await t.api(templateRoutes.previewTemplateRoute, { param: { id }, json: { data: {} } });
    expect(res.status).toBe(422);
    expect(details(res)).toEqual([{ field: 'text', message: expect.stringMatching(/^cannot be rendered: /) }]);
  });

  it('for a stored template that blows the budget, and the process goes on', async () => {
    const id = await storedTemplate(nested(8));
    const res = await t.api(templateRoutes.previewTemplateRoute, { param: { id }, json: { data: { first_name: 'Zoé' } } });
    expect(res.status).toBe(422);
    expect(details(res)).toEqual([{ field: 'text', message: 'Rendering budget exceeded: more than 100000 steps (loops and blocks run, statements, helper calls)' }]);
    expect((await t.call('GET', '/health')).status).toBe(200);
  });

  it('for preview data that makes a saved template explode', async () => {
    const id = await createTemplate(t, 'sms', { text: '{{#each items}}{{#each @root.items}}{{#each @root.items}}x{{/each}}{{/each}}{{/each}}' });
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));
    const small = await t.api(templateRoutes.previewTemplateRoute, { param: { id }, json: { data: { items: items(2) } } });
    expect(expectStatus(small, 200).text).toBe('xxxxxxxx STOP SMS');
    const big = await t.api(templateRoutes.previewTemplateRoute, { param: { id }, json: { data: { items: items(100) } } });
    expect(big.status).toBe(422);
    expect(details(big)).toEqual([{ field: 'text', message: expect.stringMatching(/^Rendering budget exceeded: more than 100000 steps/) }]);
  });
});

describe('at send time', () => {
  async function ledger(campaign: number) {
    const r = await sql<{ email: string; status: string; error: string | null }>`
      select c.email, m.status, m.error from messages m join contacts c on c.id = m.contact_id where m.campaign_id = ${campaign} order by c.email`.execute(t.deps.db);
    return r.rows;
  }

  it('a budget overrun fails that one message with a clear error; the campaign goes on', async () => {
    const ids = [];
    for (const email of ['big@example.fr', 'small@example.fr']) {
      ids.push((await createContact(t, { email, attributes: { note: 'hello', a: 'x', b: 'y' }, subscriptions: [{ channel: 'email', topic: 'news' }] })).id);
    }
    // Larger than any API would let through today: written straight into the customer file.
    await sql`update contacts set attributes = jsonb_set(attributes, '{note}', to_jsonb(repeat('x', 250000))) where id = ${ids[0]}`.execute(t.deps.db);
    // Nine copies of the note per message: fine with the sample contact, over 2,000,000 characters for this one.
    const template = await createTemplate(t, 'email', {
      mjml: mjml('{{#each attributes}}{{#each ../attributes}}{{../../attributes.note}}{{/each}}{{/each}}<a href="{{unsubscribe_url}}">stop</a>'),
    });
    const campaign = await createCampaign(t, { template_id: template, topic: 'news', audience: { list_ids: [await createList(t, ids)] } });
    const done = await launch(t, campaign);
    expect(done).toMatchObject({ status: 'sent', counts: { sent: 1, failed: 1 } });
    expect(await ledger(campaign)).toEqual([
      { email: 'big@example.fr', status: 'failed', error: 'mjml: Rendering budget exceeded: more than 2000000 characters produced' },
      { email: 'small@example.fr', status: 'sent', error: null },
    ]);
  });

  it('a stored template that cannot render fails each message with the reason, and the campaign ends', async () => {
    const id = await storedTemplate('{{#if true as |x|}}{{x}}{{/if}}');
    const contact = await createContact(t, { email: 'sms@example.fr', phone: '+33612345600', subscriptions: [{ channel: 'sms', topic: 'news' }] });
    await t.json('PUT', '/v1/settings/quiet-hours', { rules: [] });
    const campaign = await createCampaign(t, { channel: 'sms', template_id: id, topic: 'news', audience: { list_ids: [await createList(t, [contact.id])] } });
    expect(await launch(t, campaign)).toMatchObject({ status: 'sent', counts: { failed: 1 } });
    expect(await ledger(campaign)).toEqual([{ email: 'sms@example.fr', status: 'failed', error: expect.stringMatching(/^text: cannot be rendered: /) }]);
  });
});
