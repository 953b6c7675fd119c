import { iso, isoOrNull, oneOf } from '../http/views.js';
import type { ApiKey } from './keys.routes.js';
import { ROLES } from './roles.js';

/** A key as listed: its prefix, never its hash. */
export function toKeyView(k: { id: number; name: string; role: string; prefix: string; created_at: Date; revoked_at: Date | null }): ApiKey {
  return { id: k.id, name: k.name, role: oneOf(ROLES, k.role), prefix: k.prefix, created_at: iso(k.created_at), revoked_at: isoOrNull(k.revoked_at) };
}
