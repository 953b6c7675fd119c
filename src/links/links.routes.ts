import { createRoute } from '@hono/zod-openapi';
import { commonErrors, security } from '../http/schemas.js';

export const rotateSigningSecretRoute = createRoute({
  method: 'post', path: '/settings/signing-secret/rotate', tags: ['Settings'], security,
  summary: 'Rotate the secret that signs unsubscribe, preference and confirmation links: every link already sent stops working',
  responses: { 204: { description: 'Rotated' }, ...commonErrors },
});
