// Webhook endpoints: where a webhook campaign posts. The URL is checked when the endpoint is created (https, no
// private or loopback address written out, unless WEBHOOK_ALLOW_PRIVATE), and again at each POST where it connects.
// The secret is shown once, at creation; receivers verify each delivery's Standard Webhooks signature with it.
import { newWebhookSecret, targetProblem } from '../channels/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { deleteUnusedEndpoint, findEndpoint, insertEndpoint, listEndpoints, updateEndpoint, type EndpointRow } from './webhook-endpoints.repository.js';

/** The contact's fields a payload may carry; `id` always does. */
export const ENDPOINT_FIELDS = ['id', 'external_id', 'email', 'phone', 'first_name', 'last_name', 'locale', 'timezone', 'attributes'] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];

export async function createEndpoint(deps: Pick<Deps, 'db' | 'config' | 'clock'>, input: { name: string; url: string; fields?: EndpointField[] }) {
  const problem = targetProblem(input.url, deps.config.webhookAllowPrivate);
  if (problem) throw new InvalidInputError('This URL cannot receive webhooks', [{ field: 'url', message: problem }]);
  return insertEndpoint(deps.db, { name: input.name, url: input.url, secret: newWebhookSecret(), fields: withId(input.fields ?? ['external_id', 'first_name', 'last_name', 'locale']) }, deps.clock());
}

const withId = (fields: readonly string[]) => ['id', ...new Set(fields.filter((f) => f !== 'id'))];

/**
 * Changes an endpoint: a new URL (checked as at creation), other fields, or a new secret (a leaked one stops working
 * at once: the receiver needs the new one before the next message). Campaigns that name it post accordingly from
 * their next message on. Answers the secret only when it was rotated.
 */
export async function changeEndpoint(
  deps: Pick<Deps, 'db' | 'config'>, id: number, input: { name?: string; url?: string; fields?: EndpointField[]; rotate_secret?: boolean },
) {
  if (input.url !== undefined) {
    const problem = targetProblem(input.url, deps.config.webhookAllowPrivate);
    if (problem) throw new InvalidInputError('This URL cannot receive webhooks', [{ field: 'url', message: problem }]);
  }
  const secret = input.rotate_secret ? newWebhookSecret() : undefined;
  const changed = await updateEndpoint(deps.db, id, {
    ...(input.name !== undefined ? { name: input.name } : {}), ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.fields ? { fields: withId(input.fields) } : {}), ...(secret ? { secret } : {}),
  });
  if (!changed) throw new NotFoundError('Webhook endpoint', id);
  return { endpoint: changed, rotated: secret !== undefined };
}

export async function getEndpoint(deps: Pick<Deps, 'db'>, id: number): Promise<EndpointRow> {
  const endpoint = await findEndpoint(deps.db, id);
  if (!endpoint) throw new NotFoundError('Webhook endpoint', id);
  return endpoint;
}

export { findEndpoint, listEndpoints };

export async function removeEndpoint(deps: Pick<Deps, 'db'>, id: number): Promise<void> {
  const outcome = await deleteUnusedEndpoint(deps.db, id);
  if (outcome === 'missing') throw new NotFoundError('Webhook endpoint', id);
  if (outcome === 'in_use') throw new ConflictError('A campaign posts to this endpoint: it stays while the campaign does');
}

/**
 * The contact as a webhook message may show it, in its text as in its payload: the endpoint's fields, and the language
 * and zone that choose the variant and write dates. Merge fields outside them render empty: `fields` is what leaves.
 */
export function visibleContact<C extends object>(endpoint: Pick<EndpointRow, 'fields'>, contact: C): C {
  const shown = new Set<string>([...endpoint.fields, 'id', 'locale', 'timezone']);
  const hidden = (k: string) => !shown.has(k) && k !== 'reason';
  return Object.fromEntries(Object.entries(contact).map(([k, v]) => [k, hidden(k) ? (k === 'attributes' ? {} : null) : v])) as C;
}

/** What a payload says of a contact: the endpoint's fields. */
export function payloadContact(endpoint: Pick<EndpointRow, 'fields'>, contact: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(endpoint.fields.filter((f) => f in contact).map((f) => [f, f === 'id' ? Number(contact.id) : contact[f] ?? null]));
}
