// A campaign's audience as one SQL predicate over contacts `c`: its lists and segments, compiled now.
import type { RawBuilder } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { compileSegment, findSegment, RuleBudget } from '../segments/index.js';
import { audienceFilter, audienceSegmentIds, type Audience } from './audience.js';

/**
 * Segments are evaluated when this is called, once: later edits to a segment do not change a launched campaign.
 * Pass the launch transaction: PGlite has one connection, and the snapshot must see what the rule saw.
 * Every segment is checked again here (one it refers to may have changed since it was saved), and the segments
 * of one audience share one size budget: they become one statement.
 */
export async function audienceOf(db: Executor, campaign: { audience: unknown }, at: Date, options: { strict?: boolean } = {}): Promise<RawBuilder<unknown>> {
  const audience = campaign.audience as Audience;
  const segments = new Map<number, RawBuilder<unknown>>();
  const budget = new RuleBudget();
  for (const segmentId of new Set(audienceSegmentIds(audience))) {
    const segment = await findSegment(db, segmentId);
    if (!segment) {
      if (options.strict) throw new ConflictError(`Segment ${segmentId} no longer exists`);
      continue;
    }
    try {
      segments.set(segmentId, await compileSegment(db, segment.rule, at, { budget }));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      throw new InvalidInputError(`Segment ${segmentId} of the audience cannot be used`,
        err.problems.map((p) => ({ field: 'audience', message: `segment ${segmentId}, ${p.field}: ${p.message}` })));
    }
  }
  return audienceFilter(audience, segments);
}
