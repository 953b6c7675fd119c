import type { Executor } from '../db/transaction.js';
import { paginate, type Page } from '../http/pagination.js';
import { listAuditEntries, type AuditFilter } from './audit.repository.js';

export async function listAuditLog(db: Executor, filter: AuditFilter, page: Page) {
  const rows = await listAuditEntries(db, filter, page);
  return paginate(
    rows.map((r) => ({
      id: Number(r.id),
      occurred_at: new Date(r.occurred_at).toISOString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: r.details as Record<string, unknown>,
    })),
    page.limit,
  );
}
