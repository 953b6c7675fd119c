// From stored rows to the shapes the API promises. Views list their fields one by one, so the compiler checks each
// response against its route's schema, extra fields included. What the column types cannot say (a text column
// limited to a few values by a CHECK constraint, a JSON column) is checked here at run time rather than cast: a row
// that breaks the contract becomes a logged 500, not a body that contradicts the OpenAPI document.
import type { z } from '@hono/zod-openapi';

/** Dates go out as ISO 8601 strings, as JSON.stringify writes them. */
export const iso = (at: Date) => at.toISOString();
export const isoOrNull = (at: Date | null) => (at === null ? null : at.toISOString());

/** A text column whose CHECK constraint holds it to `values`, typed as one of them. */
export function oneOf<const T extends string>(values: readonly T[], value: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`Stored value "${value}" is not one of ${values.join(', ')}`);
  return found;
}

/** A JSON column that always holds an object (a segment rule). */
export function jsonObject(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  throw new Error('Stored JSON is not an object');
}

/** A JSON object whose values each pass `isValue` (an address's lines, a contact's attributes). */
export function jsonRecord<T>(value: unknown, isValue: (v: unknown) => v is T): Record<string, T> {
  if (isRecordOf(value, isValue)) return value;
  throw new Error('Stored JSON does not have the expected values');
}

/** A JSON column written from input that `schema` validated (a campaign's audience), typed by that schema. */
export function validated<T>(schema: z.ZodType<T, T>, value: unknown): T {
  if (conforms(schema, value)) return value;
  throw new Error('Stored JSON no longer matches its schema');
}

function conforms<T>(schema: z.ZodType<T, T>, value: unknown): value is T {
  return schema.safeParse(value).success;
}

function isRecordOf<T>(value: unknown, isValue: (v: unknown) => v is T): value is Record<string, T> {
  return isObject(value) && Object.values(value).every(isValue);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
