// Declaring a typed attribute, and changing its declaration: the values contacts already hold are converted to the
// new type in the same transaction, or the change is refused with the values that cannot be (a text "2024-13-45"
// redeclared as a date would otherwise break every rule that reads it).
import { writeAudit, type Actor } from '../audit/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { ConflictError, InvalidInputError, type FieldProblem } from '../errors.js';
import { coerceAttribute, type AttributeDefinition } from './attribute-values.js';
import {
  listAttributeDefinitions, lockAttributeDefinition, rewriteAttributeValues, storedAttributeValues, upsertAttributeDefinition,
} from './attributes.repository.js';
import { contactColumnOf, headerKey } from './import-columns.js';

const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const PAGE = 5000;
const EXAMPLES = 5;

export interface Declared {
  created: boolean;
  /** Stored values rewritten to the new type. */
  converted: number;
}

/** Declares or redeclares an attribute; the audit log records who did it (`attribute.declared`). */
export async function declareAttribute(db: Database, def: AttributeDefinition, change: { actor: Actor; at: Date }): Promise<Declared> {
  const aliases = [...new Map((def.aliases ?? []).map((a) => [headerKey(a), a.trim()])).values()];
  const problems: FieldProblem[] = [];
  if (!ATTRIBUTE_NAME.test(def.name)) problems.push({ field: 'name', message: 'must be lower-case letters, digits and _ starting with a letter' });
  if (def.type === 'enum' && !def.values?.length) problems.push({ field: 'values', message: 'an enum needs a non-empty list of values' });
  if (def.type !== 'enum' && def.values) problems.push({ field: 'values', message: 'only enum attributes take values' });
  problems.push(...(await aliasProblems(db, def.name, aliases)));
  if (problems.length) throw new InvalidInputError('Invalid attribute', problems);
  const wanted: AttributeDefinition = { ...def, values: def.values ?? null, aliases };

  return inTransaction(db, async (trx) => {
    const existing = await lockAttributeDefinition(trx, def.name);
    const retyped = existing && (existing.type !== wanted.type || JSON.stringify(existing.values ?? null) !== JSON.stringify(wanted.values));
    const converted = retyped ? await convertStoredValues(trx, wanted) : 0;
    await upsertAttributeDefinition(trx, wanted, change.at);
    const details = { type: wanted.type, values: wanted.values, aliases, created: !existing, converted };
    await writeAudit(trx, { actor: change.actor, action: 'attribute.declared', subject: `attribute:${def.name}`, details }, change.at);
    return { created: !existing, converted };
  });
}

/** An alias must not be a contact column's name, nor another attribute's name or alias. */
async function aliasProblems(db: Database, name: string, aliases: string[]): Promise<FieldProblem[]> {
  const others = (await listAttributeDefinitions(db)).filter((d) => d.name !== name);
  const taken = new Map<string, string>();
  for (const d of others) for (const key of [headerKey(d.name), ...(d.aliases ?? []).map(headerKey)]) taken.set(key, d.name);
  return aliases.flatMap((alias, i) => {
    const field = `aliases.${i}`;
    const column = contactColumnOf(alias);
    if (!headerKey(alias)) return [{ field, message: 'must contain letters or digits' }];
    if (column) return [{ field, message: `"${alias}" already names the contact column ${column}` }];
    const other = taken.get(headerKey(alias));
    if (other) return [{ field, message: `"${alias}" already names attribute ${other}` }];
    return [];
  });
}

/**
 * Converts every stored value to the new declaration, page by page, inside the caller's transaction. Any value that
 * does not convert makes it throw (so the transaction, and the pages already rewritten, roll back).
 */
async function convertStoredValues(trx: Database, def: AttributeDefinition): Promise<number> {
  let converted = 0;
  let bad = 0;
  const examples: Array<{ contact_id: number; value: unknown; problem: string }> = [];
  for (let after = 0; ; ) {
    const page = await storedAttributeValues(trx, def.name, after, PAGE);
    if (!page.length) break;
    after = page[page.length - 1].id;
    const rewrites: Array<{ id: number; value: unknown }> = [];
    for (const { id, value } of page) {
      const result = coerceAttribute(def, value);
      if ('error' in result) {
        bad++;
        if (examples.length < EXAMPLES) examples.push({ contact_id: id, value, problem: result.error });
      } else if (JSON.stringify(result.value) !== JSON.stringify(value)) rewrites.push({ id, value: result.value });
    }
    if (!bad) {
      await rewriteAttributeValues(trx, def.name, rewrites);
      converted += rewrites.length;
    }
  }
  if (bad) {
    const as = def.type === 'enum' ? `one of ${(def.values ?? []).join(', ')}` : `a ${def.type}`;
    throw new ConflictError(`${bad} contact${bad > 1 ? 's hold values' : ' holds a value'} of "${def.name}" that cannot be read as ${as}: nothing was changed`, [
      { field: 'type', message: `${bad} stored value${bad > 1 ? 's' : ''} cannot be converted; correct them first`, bad_values: bad, examples },
    ]);
  }
  return converted;
}
