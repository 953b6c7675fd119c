export const ROLES = ['admin', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may do what. Reads are open to every role (analysts read everything, reports included);
 * writes to the customer file, templates and campaigns need a marketer; keys and settings need an admin.
 */
export type Permission = 'read' | 'write' | 'admin';

export function allows(role: Role, permission: Permission): boolean {
  if (role === 'admin') return true;
  if (permission === 'read') return true;
  if (permission === 'write') return role === 'marketer';
  return false;
}
