import type { SendableChannel } from '../channels/index.js';
import type { Executor as Database } from '../db/transaction.js';

export const templateColumns = [
  'id', 'name', 'channel', 'locale', 'subject', 'preheader', 'mjml', 'text', 'compiled_html', 'version', 'created_at', 'updated_at',
] as const;

const variantColumns = ['locale', 'subject', 'preheader', 'mjml', 'text', 'compiled_html'] as const;

export interface VariantWrite {
  locale: string;
  subject: string | null;
  preheader: string | null;
  mjml: string | null;
  text: string | null;
  compiled_html: string | null;
}

export interface TemplateWrite extends VariantWrite {
  name: string;
  channel: SendableChannel;
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

/** A template's variants are replaced as a whole, with the version they belong to. */
export async function replaceVariants(db: Database, templateId: number, variants: readonly VariantWrite[]) {
  await db.deleteFrom('template_variants').where('template_id', '=', templateId).execute();
  if (variants.length) await db.insertInto('template_variants').values(variants.map((v) => ({ ...v, template_id: templateId }))).execute();
}

export async function findTemplate(db: Database, id: number) {
  return db.selectFrom('templates').select(templateColumns).where('id', '=', id).executeTakeFirst();
}

/** Its variants, by locale. */
export async function findVariants(db: Database, templateId: number) {
  return db.selectFrom('template_variants').select(variantColumns).where('template_id', '=', templateId).orderBy('locale').execute();
}

/** Which languages a template speaks: its own, and its variants'. */
export async function findLanguages(db: Database, templateId: number) {
  const template = await db.selectFrom('templates').select('locale').where('id', '=', templateId).executeTakeFirst();
  if (!template) return undefined;
  const variants = await db.selectFrom('template_variants').select('locale').where('template_id', '=', templateId).orderBy('locale').execute();
  return { locale: template.locale, variants };
}

export async function listTemplates(db: Database, page: { after?: number; limit: number }) {
  let q = db.selectFrom('templates').select(['id', 'name', 'channel', 'locale', 'subject', 'version', 'created_at', 'updated_at']).orderBy('id').limit(page.limit + 1);
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
