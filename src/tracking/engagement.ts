// Folding engagement facts (hits, provider events, replies, conversions, unsubscribes) into the rollups reports and
// segments read: per message, the first time and the count of each kind; per campaign and hour, events, uniques and
// value. Called in the transaction that appended the facts, with only the facts that were new, so a replayed batch
// changes nothing.
import type { Trx } from '../db/transaction.js';
import { addCampaignHourly, addLinkClicks, ensureEngagementRows, lockEngagementRows, updateEngagementRows, type EngagementRow } from './engagement.repository.js';

export const METRICS = [
  'open_human', 'open_machine', 'click_human', 'click_machine', 'reply', 'conversion',
  'delivered', 'bounce_hard', 'bounce_soft', 'complaint', 'reject', 'delay', 'unsubscribe',
] as const;
export type Metric = (typeof METRICS)[number];

export interface EngagementFact {
  messageId: number;
  campaignId: number | null;
  contactId: number | null;
  metric: Metric;
  at: Date;
  /** Revenue, for a conversion. */
  value?: number | null;
  /** A click's link, with the URL it went to: the per-link table. */
  link?: { index: number; url: string };
}

type FirstColumn = 'first_open_human_at' | 'first_open_machine_at' | 'first_click_human_at' | 'first_click_machine_at' | 'replied_at'
  | 'converted_at' | 'delivered_at' | 'bounced_at' | 'complained_at' | 'unsubscribed_at';
type CountColumn = 'opens_human' | 'opens_machine' | 'clicks_human' | 'clicks_machine' | 'replies' | 'conversions';

/** Where each metric lands on the message's row; rejects and delays are counted per hour only. */
const COLUMNS: Record<Metric, { first?: FirstColumn; count?: CountColumn }> = {
  open_human: { first: 'first_open_human_at', count: 'opens_human' },
  open_machine: { first: 'first_open_machine_at', count: 'opens_machine' },
  click_human: { first: 'first_click_human_at', count: 'clicks_human' },
  click_machine: { first: 'first_click_machine_at', count: 'clicks_machine' },
  reply: { first: 'replied_at', count: 'replies' },
  conversion: { first: 'converted_at', count: 'conversions' },
  delivered: { first: 'delivered_at' },
  bounce_hard: { first: 'bounced_at' },
  bounce_soft: { first: 'bounced_at' },
  complaint: { first: 'complained_at' },
  unsubscribe: { first: 'unsubscribed_at' },
  reject: {},
  delay: {},
};

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/**
 * Applies new facts to the rollups. The message rows are created, then locked in message order, and the hourly rows
 * are written in key order after them: every writer takes its locks in the same order, so concurrent batches (queue
 * consumers) wait for each other on a hot message or hour and never deadlock.
 */
export async function applyEngagement(trx: Trx, facts: EngagementFact[]): Promise<void> {
  if (!facts.length) return;
  const sorted = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime());
  const owners = new Map<number, { campaignId: number | null; contactId: number | null }>();
  for (const f of sorted) if (!owners.has(f.messageId)) owners.set(f.messageId, { campaignId: f.campaignId, contactId: f.contactId });
  const ids = [...owners.keys()].sort((a, b) => a - b);
  await ensureEngagementRows(trx, ids.map((id) => ({ message_id: id, campaign_id: owners.get(id)!.campaignId, contact_id: owners.get(id)!.contactId })));
  const rows = new Map((await lockEngagementRows(trx, ids)).map((r) => [r.message_id, r]));

  const hourly = new Map<string, { campaign_id: number; metric: Metric; hour: Date; events: number; uniques: number; value: number }>();
  const bump = (campaignId: number, metric: Metric, at: Date, d: { events?: number; uniques?: number; value?: number }) => {
    const hour = hourOf(at);
    const key = `${campaignId}|${metric}|${hour.getTime()}`;
    const h = hourly.get(key) ?? { campaign_id: campaignId, metric, hour, events: 0, uniques: 0, value: 0 };
    h.events += d.events ?? 0;
    h.uniques += d.uniques ?? 0;
    h.value += d.value ?? 0;
    hourly.set(key, h);
  };
  const links = new Map<string, { campaign_id: number; link_index: number; url: string; human: number; machine: number }>();
  const changed = new Set<number>();

  for (const f of sorted) {
    const row = rows.get(f.messageId);
    if (!row) continue;
    changed.add(f.messageId);
    const { first, count } = COLUMNS[f.metric];
    let unique = 0;
    if (f.metric === 'bounce_hard' || f.metric === 'bounce_soft') {
      // A message is counted once, by its worst bounce: a soft one that turns hard moves from soft to hard.
      unique = f.metric === 'bounce_hard' ? Number(row.bounce !== 'hard') : Number(!row.bounced_at);
      if (f.metric === 'bounce_hard' && row.bounce === 'soft' && row.bounced_at && f.campaignId !== null) {
        bump(f.campaignId, 'bounce_soft', row.bounced_at, { uniques: -1 });
      }
      if (!row.bounced_at || f.at < row.bounced_at) row.bounced_at = f.at;
      if (f.metric === 'bounce_hard') row.bounce = 'hard';
      else row.bounce ??= 'soft';
    } else if (first) {
      const before = row[first];
      if (!before) unique = 1;
      else if (f.at < before && f.campaignId !== null) {
        // A fact older than the first one known (a late queue delivery): the unique moves to its hour.
        bump(f.campaignId, f.metric, before, { uniques: -1 });
        unique = 1;
      }
      if (!before || f.at < before) row[first] = f.at;
    }
    if (count) row[count] += 1;
    if (f.metric === 'conversion') row.revenue += f.value ?? 0;
    if (f.campaignId === null) continue;
    bump(f.campaignId, f.metric, f.at, { events: 1, uniques: unique, value: f.metric === 'conversion' ? f.value ?? 0 : 0 });
    if (f.link && (f.metric === 'click_human' || f.metric === 'click_machine')) {
      const key = `${f.campaignId}|${f.link.index}`;
      const l = links.get(key) ?? { campaign_id: f.campaignId, link_index: f.link.index, url: f.link.url, human: 0, machine: 0 };
      if (l.url !== f.link.url) l.url = f.link.url.split('?')[0];
      if (f.metric === 'click_human') l.human += 1;
      else l.machine += 1;
      links.set(key, l);
    }
  }

  await updateEngagementRows(trx, ids.filter((id) => changed.has(id)).map((id) => rows.get(id)!));
  const byKey = <T>(m: Map<string, T>, key: (v: T) => string) => [...m.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  await addCampaignHourly(trx, byKey(hourly, (h) => `${String(h.campaign_id).padStart(20, '0')}|${h.metric}|${h.hour.toISOString()}`));
  await addLinkClicks(trx, byKey(links, (l) => `${String(l.campaign_id).padStart(20, '0')}|${String(l.link_index).padStart(10, '0')}`));
}

export type { EngagementRow };
