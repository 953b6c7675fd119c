// A contact's timeline: every message of theirs in the ledger, newest first, each with what happened to it and what
// they did with it (delivered, bounced, complained, opened, clicked, replied, converted, unsubscribed), newest first.
import { findContactById } from '../contacts/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { NotFoundError } from '../errors.js';
import { paginate, type Page } from '../http/pagination.js';
import { findClickedUrls, findConversions, findResponses, findTimelineMessages, type TimelineMessageRow } from './timeline.repository.js';

export type TimelineEvent =
  | { type: 'delivered' | 'complained' | 'unsubscribed'; at: Date }
  | { type: 'bounced'; at: Date; bounce: string | null }
  | { type: 'opened'; at: Date; count: number }
  | { type: 'clicked'; at: Date; count: number; urls: string[] }
  | { type: 'replied'; at: Date; kind: string | null; excerpt: string | null }
  | { type: 'converted'; at: Date; conversion_type: string | null; value: number | null };

/** The order things happen to a message: among events at the same instant, the later one comes first. */
const LIFECYCLE: Array<TimelineEvent['type']> = ['delivered', 'bounced', 'complained', 'opened', 'clicked', 'replied', 'converted', 'unsubscribed'];

export interface TimelineItem {
  message: TimelineMessageRow;
  events: TimelineEvent[];
}

export async function contactTimeline(db: Database, contactId: number, page: Page): Promise<{ data: TimelineItem[]; next_cursor: string | null }> {
  if (!(await findContactById(db, contactId))) throw new NotFoundError('Contact', contactId);
  const { data, next_cursor } = paginate(await findTimelineMessages(db, contactId, page), page.limit);
  const ids = data.map((m) => m.id);
  const [clicks, responses, conversions] = await Promise.all([findClickedUrls(db, ids), findResponses(db, ids), findConversions(db, ids)]);
  const byMessage = <T extends { message_id: number }>(rows: T[]) => {
    const map = new Map<number, T[]>();
    for (const row of rows) map.set(row.message_id, [...(map.get(row.message_id) ?? []), row]);
    return map;
  };
  const urls = byMessage(clicks);
  const replies = byMessage(responses);
  const converted = byMessage(conversions);
  return {
    data: data.map((m) => ({
      message: m,
      events: eventsOf(m, {
        urls: (urls.get(m.id) ?? []).map((c) => c.url),
        replies: replies.get(m.id) ?? [],
        conversions: converted.get(m.id) ?? [],
      }),
    })),
    next_cursor,
  };
}

function eventsOf(
  m: TimelineMessageRow,
  facts: { urls: string[]; replies: Awaited<ReturnType<typeof findResponses>>; conversions: Awaited<ReturnType<typeof findConversions>> },
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (m.delivered_at) events.push({ type: 'delivered', at: m.delivered_at });
  if (m.bounced_at) events.push({ type: 'bounced', at: m.bounced_at, bounce: m.bounce });
  if (m.complained_at) events.push({ type: 'complained', at: m.complained_at });
  if (m.first_open_human_at) events.push({ type: 'opened', at: m.first_open_human_at, count: m.opens_human ?? 0 });
  if (m.first_click_human_at) events.push({ type: 'clicked', at: m.first_click_human_at, count: m.clicks_human ?? 0, urls: facts.urls });
  for (const r of facts.replies) events.push({ type: 'replied', at: r.occurred_at, kind: r.kind, excerpt: r.excerpt });
  // Engagement carried over from the ledger's older columns has its first time but no response or conversion row.
  if (m.replied_at && !facts.replies.length) events.push({ type: 'replied', at: m.replied_at, kind: null, excerpt: null });
  for (const c of facts.conversions) events.push({ type: 'converted', at: c.occurred_at, conversion_type: c.type, value: c.value });
  if (m.converted_at && !facts.conversions.length) events.push({ type: 'converted', at: m.converted_at, conversion_type: null, value: null });
  if (m.unsubscribed_at) events.push({ type: 'unsubscribed', at: m.unsubscribed_at });
  return events.sort((a, b) => b.at.getTime() - a.at.getTime() || LIFECYCLE.indexOf(b.type) - LIFECYCLE.indexOf(a.type));
}
