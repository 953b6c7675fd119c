// What a rule may name: contact fields and declared attributes, each with a type that decides the operators.
import { sql, type RawBuilder } from 'kysely';
import { DATE_SHAPE, readMonthDay, readNumber, type AttributeDefinition } from '../contacts/index.js';

// `integer`: ids, compared as bigint (a fraction or 1e30 would be an error in SQL); `number`: numeric values.
export type FieldType = 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'enum';
export type Sql = RawBuilder<unknown>;

const CONTACT_TEXT = ['email', 'phone', 'external_id', 'first_name', 'last_name', 'locale', 'timezone'] as const;
const ADDRESS_PARTS = ['line1', 'line2', 'line3', 'line4', 'postal_code', 'city', 'region', 'country'] as const;

export interface ResolvedField {
  type: FieldType;
  values?: string[] | null;
  /** The SQL expression for this field on a contacts row aliased `alias`. Names are never interpolated raw. */
  expr(alias: string): Sql;
  /** Dates: month and day as MMDD, the expression the attribute's index is built on. */
  monthDay?(alias: string): Sql;
}

export function resolveField(name: string, attributes: Map<string, AttributeDefinition>): ResolvedField | string {
  if ((CONTACT_TEXT as readonly string[]).includes(name)) return { type: 'text', expr: (a) => sql.ref(`${a}.${name}`) };
  if (name === 'id') return { type: 'integer', expr: (a) => sql.ref(`${a}.id`) };
  if (name === 'created_at' || name === 'updated_at') return { type: 'timestamp', expr: (a) => sql.ref(`${a}.${name}`) };
  if (name.startsWith('address.')) {
    const part = name.slice(8);
    if (!(ADDRESS_PARTS as readonly string[]).includes(part)) return `unknown address part "${part}" (${ADDRESS_PARTS.join(', ')})`;
    return { type: 'text', expr: (a) => sql`(${sql.ref(`${a}.address`)} ->> ${part})` };
  }
  if (name.startsWith('attributes.')) {
    const attr = name.slice(11);
    const def = attributes.get(attr);
    if (!def) return `attribute "${attr}" is not declared`;
    const attrs = (a: string) => sql.ref(`${a}.attributes`);
    const raw = (a: string) => sql`(${attrs(a)} ->> ${attr})`;
    const json = (a: string) => sql`jsonb_typeof(${attrs(a)} -> ${attr})`;
    switch (def.type) {
      case 'number':
        return { type: 'number', expr: (a) => readNumber(attrs(a), sql`${attr}`) };
      case 'boolean':
        return { type: 'boolean', expr: (a) => sql`(case when ${json(a)} = 'boolean' then (${raw(a)})::boolean end)` };
      case 'date':
        return {
          type: 'date',
          expr: (a) => sql`(case when ${raw(a)} ~ ${DATE_SHAPE} then (${raw(a)})::date end)`,
          monthDay: (a) => readMonthDay(attrs(a), sql`${attr}`),
        };
      case 'enum':
        return { type: 'enum', values: def.values, expr: raw };
      default:
        return { type: 'text', expr: raw };
    }
  }
  return `unknown field "${name}": use a contact field (${[...CONTACT_TEXT, 'created_at', 'updated_at'].join(', ')}), address.<part> or attributes.<name>`;
}

export const OPS_BY_TYPE: Record<FieldType, readonly string[]> = {
  text: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists', 'not_exists'],
  enum: ['eq', 'neq', 'in', 'not_in', 'exists', 'not_exists'],
  integer: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in', 'exists', 'not_exists'],
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in', 'exists', 'not_exists'],
  boolean: ['eq', 'neq', 'exists', 'not_exists'],
  date: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'exists', 'not_exists', 'within_last_days', 'not_within_last_days', 'anniversary_within_next_days'],
  timestamp: ['lt', 'lte', 'gt', 'gte', 'between', 'exists', 'not_exists', 'within_last_days', 'not_within_last_days', 'anniversary_within_next_days'],
};
