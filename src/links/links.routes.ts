import { createRoute } from '@hono/zod-openapi';
import { commonErrors, security } from '../http/schemas.js';

export const rotateSigningSecretRoute = createRoute({
  method: 'post', path: '/settings/signing-secret/rotate', tags: ['Settings'], security,
  summary: 'Rotate the secret that signs links in messages',
  description:
    'Admins only. Unsubscribe, preference-center and confirmation links are signed with this secret: after a rotation ' +
    'every link already sent opens the invalid-link page, and only messages sent afterwards carry working links. ' +
    'Recorded in the audit log.',
  responses: { 204: { description: 'Rotated' }, ...commonErrors },
});
