// Manual changes to the suppression list: validated, and each one audited with the API key that made it.
import { writeAudit, type Actor } from '../audit/index.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import {
  addSuppression, findSuppression, listSuppressions, normaliseAddress, removeSuppression, type SuppressionChannel, type SuppressionFilter,
  type SuppressionReason,
} from './suppressions.repository.js';

type Row = NonNullable<Awaited<ReturnType<typeof findSuppression>>>;

/** The public shape: no hash (it identifies the person as well as the address does). */
export function toSuppressionView(s: Row) {
  return {
    id: Number(s.id),
    channel: s.channel as SuppressionChannel,
    address: s.address,
    reason: s.reason as SuppressionReason,
    source: s.source,
    created_at: new Date(s.created_at).toISOString(),
  };
}

export async function findSuppressions(db: Executor, filter: SuppressionFilter, page: { after?: number; limit: number }) {
  return (await listSuppressions(db, filter, page)).map(toSuppressionView);
}

export async function suppressManually(db: Executor, input: { channel: SuppressionChannel; address: string; reason?: 'manual' | 'bloctel' }, actor: Actor, at: Date) {
  const reason = input.reason ?? 'manual';
  // Bloctel lists numbers that object to canvassing calls: not SMS, not email.
  if (reason === 'bloctel' && input.channel !== 'call') {
    throw new InvalidInputError('Invalid suppression', [{ field: 'reason', message: 'bloctel is the opposition list to calls: use channel call' }]);
  }
  const address = normaliseAddress(input.channel, input.address);
  if (!address) {
    const what = input.channel === 'email' ? 'email address' : 'phone number';
    throw new InvalidInputError(`Invalid ${what}`, [{ field: 'address', message: `"${input.address}" is not a valid ${what}` }]);
  }
  return inTransaction(db, async (trx) => {
    const result = await addSuppression(trx, { channel: input.channel, address, reason, source: 'api' });
    if (result.created) {
      await writeAudit(
        trx,
        { actor, action: 'suppression.added', subject: `suppression:${result.suppression.id}`, details: { channel: input.channel, reason } },
        at,
      );
    }
    return { suppression: toSuppressionView(result.suppression), created: result.created };
  });
}

export async function unsuppress(db: Executor, id: number, actor: Actor, at: Date) {
  await inTransaction(db, async (trx) => {
    const existing = await findSuppression(trx, id);
    if (!existing) throw new NotFoundError('Suppression', id);
    // Removing an erased person's hash would let a re-import mail them again.
    if (existing.reason === 'erased') throw new ConflictError(`Suppression ${id} records an erasure and cannot be removed`);
    const removed = await removeSuppression(trx, id);
    if (!removed) throw new NotFoundError('Suppression', id);
    await writeAudit(
      trx,
      { actor, action: 'suppression.removed', subject: `suppression:${id}`, details: { channel: removed.channel, reason: removed.reason, source: removed.source } },
      at,
    );
  });
}
