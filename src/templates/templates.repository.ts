import type { SendableChannel } from '../channels/index.js';
import type { Executor as Database } from '../db/transaction.js';

export const templateColumns = [
  'id', 'name', 'channel', 'subject', 'preheader', 'mjml', 'text', 'compiled_html', 'version', 'created_at', 'updated_at',
] as const;

export interface TemplateWrite {
  name: string;
  channel: SendableChannel;
  subject: string | null;
  preheader: string | null;
  mjml: string | null;
  text: string | null;
  compiled_html: string | null;
}

export async function insertTemplate(db: Database, t: TemplateWrite, at: Date) {
  return db.insertInto('templates').values({ ...t, created_at: at, updated_at: at }).returning(templateColumns).executeTakeFirstOrThrow();
}

/** Each save is a new version; campaigns keep the content they launched with. */
export async function updateTemplate(db: Database, id: number, t: TemplateWrite, at: Date) {
  return db
    .updateTable('templates')
    .set((eb) => ({ ...t, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .returning(templateColumns)
    .executeTakeFirst();
}

export async function findTemplate(db: Database, id: number) {
  return db.selectFrom('templates').select(templateColumns).where('id', '=', id).executeTakeFirst();
}

export async function listTemplates(db: Database, page: { after?: number; limit: number }) {
  let q = db.selectFrom('templates').select(['id', 'name', 'channel', 'subject', 'version', 'created_at', 'updated_at']).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.execute();
}

export async function deleteTemplate(db: Database, id: number) {
  const r = await db.deleteFrom('templates').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function isTemplateUsed(db: Database, id: number) {
  return !!(await db.selectFrom('campaigns').select('id').where('template_id', '=', id).executeTakeFirst());
}
