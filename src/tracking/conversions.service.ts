// Conversions: events of the configured types (purchase…) attributed to the campaign of the contact's last human
// click within the click window, else of the last human open within the open window (docs/REPORTS.md). Machine hits
// (scanners, Apple's proxy) never take credit. Each event is attributed once, in the transaction that records it.
import type { Trx } from '../db/transaction.js';
import { applyEngagement, type EngagementFact } from './engagement.js';
import { insertConversion, lastHumanHits } from './responses.repository.js';

export interface AttributionRule {
  types: string[];
  clickDays: number;
  openDays: number;
}

export const DEFAULT_ATTRIBUTION: AttributionRule = { types: ['purchase'], clickDays: 5, openDays: 1 };

export interface RecordedEvent {
  id: number;
  contact_id: number;
  type: string;
  occurred_at: Date;
  value: number | null;
}

/** Attributes the new events that are conversions; returns how many were. */
export async function attributeConversions(trx: Trx, events: RecordedEvent[], rule: AttributionRule): Promise<number> {
  const conversions = events.filter((e) => rule.types.includes(e.type))
    .map((e) => ({ event_id: e.id, contact_id: e.contact_id, at: e.occurred_at, event: e }));
  if (!conversions.length) return 0;
  const clicks = await lastHumanHits(trx, 'click', rule.clickDays, conversions);
  const rest = conversions.filter((c) => !clicks.has(c.event_id));
  const opens = await lastHumanHits(trx, 'open', rule.openDays, rest);
  const facts: EngagementFact[] = [];
  for (const c of conversions) {
    const touch = clicks.get(c.event_id) ? 'click' as const : opens.get(c.event_id) ? 'open' as const : undefined;
    if (!touch) continue;
    const hit = (touch === 'click' ? clicks : opens).get(c.event_id)!;
    const value = c.event.value === null ? null : Number(c.event.value);
    const added = await insertConversion(trx, {
      event_id: c.event_id, contact_id: c.contact_id, campaign_id: hit.campaignId, message_id: hit.messageId, type: c.event.type, value,
      occurred_at: c.at, touch, touch_at: hit.at,
    });
    if (added) facts.push({ messageId: hit.messageId, campaignId: hit.campaignId, contactId: c.contact_id, metric: 'conversion', at: c.at, value });
  }
  await applyEngagement(trx, facts);
  return facts.length;
}

/**
 * An order taken on a call: the event is the call's conversion (touch `call`), whatever the contact clicked before.
 * Returns how many were attributed (a replayed event, already attributed, counts none).
 */
export async function attributeCallOrders(
  trx: Trx, events: Array<{ id: number; contact_id: number; type: string; occurred_at: Date; value: number | null }>, call: { campaignId: number; messageId: number; at: Date },
): Promise<number> {
  const facts: EngagementFact[] = [];
  for (const e of events) {
    const added = await insertConversion(trx, {
      event_id: e.id, contact_id: e.contact_id, campaign_id: call.campaignId, message_id: call.messageId, type: e.type, value: e.value,
      occurred_at: e.occurred_at, touch: 'call', touch_at: call.at,
    });
    if (added) facts.push({ messageId: call.messageId, campaignId: call.campaignId, contactId: e.contact_id, metric: 'conversion', at: e.occurred_at, value: e.value });
  }
  await applyEngagement(trx, facts);
  return facts.length;
}
