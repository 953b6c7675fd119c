// The audit log: consent and administrative changes, append-only.
import type { Executor } from '../db/transaction.js';

/**
 * Who made a change: the API key that made the request (its name is the actor, its id goes in the details as
 * `actor_key_id`: names need not be unique), or a system actor such as `retention` or `contact`.
 */
export type Actor = string | { id: number; name: string };

export interface AuditEntry {
  actor: Actor;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Executor, entry: AuditEntry, at: Date) {
  const { actor } = entry;
  const name = typeof actor === 'string' ? actor : actor.name;
  const details = typeof actor === 'string' ? entry.details ?? {} : { ...entry.details, actor_key_id: actor.id };
  await db
    .insertInto('audit_log')
    .values({ actor: name, action: entry.action, subject: entry.subject ?? null, details: JSON.stringify(details), occurred_at: at })
    .execute();
}

export interface AuditFilter {
  action?: string;
  subject?: string;
  since?: Date;
}

/** Newest first: ids follow the order entries were written; the cursor is the last id seen. */
export async function listAuditEntries(db: Executor, filter: AuditFilter, page: { after?: number; limit: number }) {
  let q = db
    .selectFrom('audit_log')
    .select(['id', 'occurred_at', 'actor', 'action', 'subject', 'details'])
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '<', page.after);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.subject) q = q.where('subject', '=', filter.subject);
  if (filter.since) q = q.where('occurred_at', '>=', filter.since);
  return q.execute();
}
