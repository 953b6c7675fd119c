// Typed readings of an attribute's JSON value, shared by segment rules and by the attribute's expression index,
// so the planner matches one against the other. Values are typed on write, but a declaration may change type
// afterwards (PUT /v1/attributes/x): a stored value that is not of the declared type reads as missing.
import { sql, type RawBuilder } from 'kysely';

type Sql = RawBuilder<unknown>;

export const DATE_SHAPE = sql.lit('^[0-9]{4}-[0-9]{2}-[0-9]{2}$');

export const readNumber = (attrs: Sql, key: Sql) => sql`(case when jsonb_typeof(${attrs} -> ${key}) = 'number' then (${attrs} ->> ${key})::numeric end)`;

// MMDD by string slicing: unlike a cast to date it is immutable, so it can be indexed (birthdays in the next
// 7 days read the index). Date attributes hold checked YYYY-MM-DD texts.
export const readMonthDay = (attrs: Sql, key: Sql) =>
  sql`(case when (${attrs} ->> ${key}) ~ ${DATE_SHAPE} then (substr(${attrs} ->> ${key}, 6, 2) || substr(${attrs} ->> ${key}, 9, 2))::smallint end)`;

/**
 * The expression a number or date attribute is indexed on (literals only, as DDL takes no parameters).
 * `name` must already be checked as [a-z][a-z0-9_]*.
 */
export function attributeIndexExpression(name: string, type: string): Sql | undefined {
  const attrs = sql.ref('attributes');
  if (type === 'number') return readNumber(attrs, sql.lit(name));
  if (type === 'date') return readMonthDay(attrs, sql.lit(name));
  return undefined;
}
