// A campaign's audience as one SQL predicate over contacts `c`: its lists and segments, compiled now.
import type { RawBuilder } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { ConflictError } from '../errors.js';
import { compileSegment, findSegment } from '../segments/index.js';
import { audienceFilter, audienceSegmentIds, type Audience } from './audience.js';

/**
 * Segments are evaluated when this is called, once: later edits to a segment do not change a launched campaign.
 * Pass the launch transaction: PGlite has one connection, and the snapshot must see what the rule saw.
 */
export async function audienceOf(db: Executor, campaign: { audience: unknown }, at: Date, options: { strict?: boolean } = {}): Promise<RawBuilder<unknown>> {
  const audience = campaign.audience as Audience;
  const segments = new Map<number, RawBuilder<unknown>>();
  for (const segmentId of audienceSegmentIds(audience)) {
    const segment = await findSegment(db, segmentId);
    if (!segment) {
      if (options.strict) throw new ConflictError(`Segment ${segmentId} no longer exists`);
      continue;
    }
    segments.set(segmentId, await compileSegment(db, segment.rule, at));
  }
  return audienceFilter(audience, segments);
}
