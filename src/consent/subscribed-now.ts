import { sql, type RawBuilder } from 'kysely';

/**
 * The one definition of "this subscription allows marketing now": subscribed, or paused with the pause over.
 * `s` is the alias of a subscriptions row in the caller's query.
 */
export function subscribedNowSql(at: Date, alias = 's'): RawBuilder<boolean> {
  const s = sql.table(alias);
  return sql<boolean>`(${s}.status = 'subscribed' or (${s}.status = 'paused' and ${s}.paused_until <= ${at}::timestamptz))`;
}
