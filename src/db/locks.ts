// Advisory locks that stand in for constraints the schema cannot afford.
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

// The ledger has no foreign key to contacts (it cost a trigger call and a row lock per message at launch).
// Launches take this lock shared and erasures exclusive, so a snapshot never writes a row for a contact
// whose erasure is under way: either the erasure commits first and the snapshot does not see the contact,
// or the erasure waits and then scrubs the new rows too.
const AUDIENCE_SNAPSHOT = 7_267_011;

export async function lockForSnapshot(trx: Transaction<DB>) {
  await sql`select pg_advisory_xact_lock_shared(${AUDIENCE_SNAPSHOT})`.execute(trx);
}

export async function lockForErasure(trx: Transaction<DB>) {
  await sql`select pg_advisory_xact_lock(${AUDIENCE_SNAPSHOT})`.execute(trx);
}

// The calls' attempts cap counts a contact's attempts and live claims, then claims: one claim or outcome at a time per
// contact, or two agents on two campaigns both pass a count of 3. The two-key form is a keyspace of its own.
const CONTACT_CALLS = 7_267_012;

export async function lockContactCalls(trx: Transaction<DB>, contactId: number) {
  await sql`select pg_advisory_xact_lock(${CONTACT_CALLS}, (${contactId}::bigint % 2147483647)::int)`.execute(trx);
}
