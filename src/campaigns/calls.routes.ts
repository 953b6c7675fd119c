import { createRoute, z } from '@hono/zod-openapi';
import { orCsv } from '../http/csv.js';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, conflict, DateTime, IdParam, notFound, security } from '../http/schemas.js';
import { CALL_OUTCOMES } from './calls.repository.js';
import { readCursor, type CallView } from './calls.service.js';

const tags = ['Calls'];

export const CallSchema = z.object({
  id: z.number(), message_id: z.string(), contact_id: z.number().nullable(), name: z.string(), phone: z.string().nullable(), script: z.string(),
  status: z.enum(['open', 'claimed', 'done']), callback_at: z.string().nullable(), claimed_by: z.string().nullable(), claimed_until: z.string().nullable(),
  outcome: z.enum(CALL_OUTCOMES).nullable(), attempts: z.number(), timezone: z.string().nullable(), local_time: z.string().nullable(),
  callable_now: z.boolean(), opens_at: z.string().nullable(),
}).openapi('Call');

const example: CallView = {
  id: 81, message_id: '019a4c2e8f31a7c0', contact_id: 42, name: 'Marie Dupont', phone: '+33612345678',
  script: 'Bonjour Marie, je suis Claire de chez Arts de la Table : vous avez reçu notre catalogue ?', status: 'open', callback_at: null,
  claimed_by: null, claimed_until: null, outcome: null, attempts: 0, timezone: 'Europe/Paris', local_time: '2026-12-07 10:42', callable_now: true, opens_at: null,
};

export const CALL_COLUMNS = ['id', 'message_id', 'contact_id', 'name', 'phone', 'local_time', 'timezone', 'callable_now', 'opens_at', 'status', 'callback_at', 'claimed_by', 'outcome', 'attempts', 'script'] as const;

export const listCallsRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/calls', tags, security,
  summary: 'A call campaign\'s call list',
  description:
    'The calls agents work through, call-backs first (by the time asked), then in the order they were placed, a page at ' +
    'a time: each contact\'s name, phone, personalised script, local time now, and whether their call hours are open ' +
    '(`callable_now`, else `opens_at`). A recipient is placed on the list once the engine has checked their consent, ' +
    'the suppression list (Bloctel) and the caps, inside their call hours. With `Accept: text/csv`, every matching call ' +
    'as a CSV attachment (limit and cursor ignored). 404 for an unknown campaign.',
  request: {
    params: IdParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().optional().refine((c) => c === undefined || readCursor(c) !== undefined, 'is not a cursor returned by this API'),
      status: z.enum(['open', 'claimed', 'done']).optional().openapi({ description: 'Only calls in this state' }),
    }).strict(),
  },
  responses: {
    200: orCsv(
      exampleResponse(z.object({ data: z.array(CallSchema), next_cursor: z.string().nullable() }), 'A page of calls', { data: [example], next_cursor: null }),
      `${CALL_COLUMNS.join(',')}\r\n81,019a4c2e8f31a7c0,42,Marie Dupont,+33612345678,2026-12-07 10:42,Europe/Paris,true,,open,,,,0,"Bonjour Marie, …"\r\n`,
      'With Accept: text/csv: every matching call, a header row then one row per call (UTF-8 with a BOM, CRLF lines)',
    ),
    ...commonErrors, ...notFound,
  },
});

export const claimCallRoute = createRoute({
  method: 'post', path: '/calls/{id}/claim', tags, security,
  summary: 'Take a call',
  description:
    'The call is the agent\'s (the API key\'s name) for 15 minutes; claiming it again renews that. 409 with `details.reason`: ' +
    '`claimed` (another agent has it), `done`, `callback_later`, `outside_call_hours` (with `opens_at`: weekdays ' +
    '10:00–13:00 and 14:00–20:00 in the contact\'s zone by default, no public holidays), `capped` (4 attempts in 30 days ' +
    'across campaigns by default), `not_callable` (opted out or suppressed since: the call is closed).',
  request: { params: IdParam },
  responses: { 200: exampleResponse(CallSchema, 'The call, claimed', { ...example, status: 'claimed', claimed_by: 'Claire', claimed_until: '2026-12-07T09:57:00.000Z' }), ...commonErrors, ...notFound, ...conflict },
});

export const recordOutcomeRoute = createRoute({
  method: 'post', path: '/calls/{id}/outcome', tags, security,
  summary: 'Record how a call went',
  description:
    'One attempt. `reached`, `refused`, `no_answer`, `opted_out` and `ordered` end the call; `callback` puts it back ' +
    'on the list at `callback_at`. Every outcome but no_answer is a response (a reply in the report); `ordered` with ' +
    '`value` is a purchase, the call\'s conversion; `opted_out` unsubscribes the contact from calls. The same outcome ' +
    'again on a done call is answered 200 (a retry); another one is a 409, as is a call another agent holds.',
  request: {
    params: IdParam,
    ...exampleBody(z.object({
      outcome: z.enum(CALL_OUTCOMES),
      value: z.number().min(0).max(1e9).optional().openapi({ description: 'The order\'s amount (ordered only)' }),
      callback_at: DateTime.optional().openapi({ description: 'When to call back (callback only), within 90 days' }),
      note: z.string().max(2000).optional(),
    }).strict(), { outcome: 'ordered', value: 129.9, note: 'Service de 12 assiettes' }),
  },
  responses: {
    201: exampleResponse(z.object({ call: CallSchema, duplicate: z.boolean() }), 'Recorded', { call: { ...example, status: 'done', outcome: 'ordered', attempts: 1 }, duplicate: false }),
    200: exampleResponse(z.object({ call: CallSchema, duplicate: z.boolean() }), 'Already recorded (the same outcome again)', { call: { ...example, status: 'done', outcome: 'ordered', attempts: 1 }, duplicate: true }),
    ...badRequest, ...commonErrors, ...notFound, ...conflict,
  },
});
