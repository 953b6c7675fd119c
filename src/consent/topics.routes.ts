import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, conflict, notFound, security } from '../http/schemas.js';
import { TopicSchema } from './topics.views.js';

const tags = ['Topics'];
const key = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _');
const name = z.string().min(1).max(200);

const newsletter: z.output<typeof TopicSchema> = {
  id: 1, key: 'newsletter', name: 'La lettre du mois', names: { en: 'The monthly letter' }, double_opt_in: false,
  created_at: '2026-03-01T08:00:00.000Z',
};

export const createTopicRoute = createRoute({
  method: 'post', path: '/topics', tags, security,
  summary: 'Create a subscription topic such as newsletter or promotions',
  description:
    '`name` is the default name; `names` gives it in French and English. The preference center, the unsubscribe and ' +
    'confirmation pages and the confirmation email show the name in the contact’s language, else the default name. ' +
    'With double_opt_in, email consent given by import or API stays pending until the contact confirms. 409 when the key is taken.',
  request: exampleBody(
    z.object({
      key: key.openapi({ example: 'newsletter' }),
      name: name.openapi({ description: 'Shown in any language without its own name in `names`', example: 'La lettre du mois' }),
      names: z.object({ fr: name.optional(), en: name.optional() }).strict().optional()
        .openapi({ description: 'The name in French and in English', example: { en: 'The monthly letter' } }),
      double_opt_in: z.boolean().optional().openapi({ description: 'Email consent from import or API stays pending until confirmed by a signed link' }),
    }).strict(),
    { key: 'newsletter', name: 'La lettre du mois', names: { en: 'The monthly letter' }, double_opt_in: false },
  ),
  responses: { 201: exampleResponse(TopicSchema, 'Created', newsletter), ...badRequest, ...commonErrors, ...conflict },
});

export const listTopicsRoute = createRoute({
  method: 'get', path: '/topics', tags, security,
  summary: 'List every topic, with its names',
  description: 'All topics in creation order (there are few), each with its default name and its names per language.',
  responses: {
    200: exampleResponse(z.object({ data: z.array(TopicSchema), next_cursor: z.null() }), 'All topics', {
      data: [
        newsletter,
        { id: 2, key: 'promotions', name: 'Offres et promotions', names: {}, double_opt_in: false, created_at: '2026-03-01T08:01:00.000Z' },
      ],
      next_cursor: null,
    }),
    ...commonErrors,
  },
});

export const updateTopicRoute = createRoute({
  method: 'patch', path: '/topics/{key}', tags, security,
  summary: 'Rename a topic, or give or remove its name in a language',
  description:
    'Only what is given changes: `name` replaces the default name; in `names`, a text sets that language’s name and ' +
    '`null` removes it (the default name is then shown in that language). The key never changes; 404 for an unknown one.',
  request: {
    params: z.object({ key: key.openapi({ param: { name: 'key', in: 'path' }, example: 'newsletter' }) }),
    ...exampleBody(
      z.object({
        name: name.optional().openapi({ example: 'La lettre du mois' }),
        names: z.object({ fr: name.nullable().optional(), en: name.nullable().optional() }).strict().optional()
          .openapi({ example: { en: 'The monthly letter', fr: null } }),
      }).strict().refine((b) => b.name !== undefined || b.names !== undefined, { message: 'give name, names or both', path: ['name'] }),
      { name: 'La lettre de Relais', names: { en: 'The Relais letter' } },
    ),
  },
  responses: {
    200: exampleResponse(TopicSchema, 'The topic as changed', { ...newsletter, name: 'La lettre de Relais', names: { en: 'The Relais letter' } }),
    ...badRequest, ...commonErrors, ...notFound,
  },
});
