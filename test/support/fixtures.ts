// Builders for what most tests need before the part they are about: topics, contacts, templates, lists and
// campaigns, through the typed API. Each checks the status it expects (a broken fixture fails where it is built,
// with the server's answer) and returns what was created.
import type { z } from '@hono/zod-openapi';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { topicRoutes } from '../../src/consent/index.js';
import { contactRoutes } from '../../src/contacts/index.js';
import { listRoutes } from '../../src/segments/index.js';
import { templateRoutes } from '../../src/templates/index.js';
import { expectStatus } from './api.js';
import type { TestApp } from './app.js';

type JsonInput<R> = R extends { request: { body: { content: { 'application/json': { schema: infer S extends z.ZodType } } } } } ? z.input<S> : never;
export type ContactInput = JsonInput<typeof contactRoutes.upsertContactRoute>;
export type TemplateInput = JsonInput<typeof templateRoutes.createTemplateRoute>;
export type CampaignInput = JsonInput<typeof campaignRoutes.createCampaignRoute>;

/** The smallest valid MJML document around one text block. */
export const mjml = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

export async function createTopic(t: TestApp, key: string, options: { name?: string; double_opt_in?: boolean } = {}) {
  return expectStatus(await t.api(topicRoutes.createTopicRoute, { json: { key, name: options.name ?? key, ...options } }), 201);
}

/** A new contact (201, not an update of an existing one). */
export async function createContact(t: TestApp, input: ContactInput) {
  return expectStatus(await t.api(contactRoutes.upsertContactRoute, { json: input }), 201);
}

/** Imports a CSV file; returns the import report. */
export async function importContacts(t: TestApp, csv: string) {
  return expectStatus(await t.api(contactRoutes.importContactsRoute, { body: csv }), 200);
}

const TEMPLATE_DEFAULTS = {
  email: { name: 'Email', channel: 'email', subject: 'Hello {{first_name}}', mjml: mjml('Hi {{first_name}}') },
  sms: { name: 'SMS', channel: 'sms', text: 'Hello {{first_name}}' },
} as const satisfies Record<string, TemplateInput>;

/** A template of the channel with a short personalised default content; `overrides` replace any field. Returns its id. */
export async function createTemplate(t: TestApp, channel: 'email' | 'sms', overrides: Partial<TemplateInput> = {}): Promise<number> {
  const saved = expectStatus(await t.api(templateRoutes.createTemplateRoute, { json: { ...TEMPLATE_DEFAULTS[channel], ...overrides } }), 201);
  return saved.id;
}

/** A static list holding `contactIds` (all of them must exist). Returns its id. */
export async function createList(t: TestApp, contactIds: number[], name = 'List'): Promise<number> {
  const list = expectStatus(await t.api(listRoutes.createListRoute, { json: { name } }), 201);
  if (contactIds.length) {
    const added = expectStatus(await t.api(listRoutes.addMembersRoute, { param: { id: list.id }, json: { contact_ids: contactIds } }), 200);
    if (added.added !== contactIds.length) throw new Error(`list ${name}: added ${added.added} of ${contactIds.length}, unknown ${added.unknown}`);
  }
  return list.id;
}

/** A draft campaign; by default an email campaign to everyone. Returns its id. */
export async function createCampaign(t: TestApp, input: Pick<CampaignInput, 'template_id' | 'topic'> & Partial<CampaignInput>): Promise<number> {
  const json = { name: 'Campaign', channel: 'email' as const, audience: { all: true as const }, ...input };
  return expectStatus(await t.api(campaignRoutes.createCampaignRoute, { json }), 201).id;
}

/** The campaign as GET /v1/campaigns/{id} shows it, with its counts. */
export async function getCampaign(t: TestApp, id: number) {
  return expectStatus(await t.api(campaignRoutes.getCampaignRoute, { param: { id } }), 200);
}

/** Launches (202), waits for the in-process senders to finish, and returns the campaign with its counts. */
export async function launch(t: TestApp, id: number) {
  expectStatus(await t.api(campaignRoutes.launchCampaignRoute, { param: { id } }), 202);
  await t.deps.background.idle();
  return getCampaign(t, id);
}
