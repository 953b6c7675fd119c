// Reclassifying a campaign's stored hits after the rules changed (docs/TRACKING.md): each raw hit is classified again
// with every other click of its message known (so the first click of a burst is caught too), the changed verdicts are
// written, and the campaign's open and click rollups are rebuilt from the hits. The raw facts never change.
import { writeAudit, type Actor } from '../audit/index.js';
import { inTransaction, type Executor as Db } from '../db/transaction.js';
import { hitsCutoff } from './prune.js';
import { classifyHit, DEFAULT_CLASSIFIER_SETTINGS, type ClassifierSettings } from './classify.js';
import { applyEngagement, type EngagementFact } from './engagement.js';
import { clearHitRollups, hitsOfMessages, messagesWithHits, setHitClasses, type StoredHit } from './reclassify.repository.js';

/** Messages per batch: their hits are read, classified and written together. */
const BATCH = 500;

export interface Reclassified {
  campaign_id: number;
  hits: number;
  changed: number;
  /** Per rule: how many hits it decides now. */
  rules: Record<string, number>;
}

export async function reclassifyCampaign(db: Db, campaignId: number, settings: ClassifierSettings = DEFAULT_CLASSIFIER_SETTINGS): Promise<Reclassified> {
  return inTransaction(db, async (trx) => {
    await clearHitRollups(trx, campaignId);
    const result: Reclassified = { campaign_id: campaignId, hits: 0, changed: 0, rules: {} };
    for (let after = 0; ;) {
      const ids = await messagesWithHits(trx, campaignId, after, BATCH);
      if (!ids.length) break;
      after = ids[ids.length - 1];
      const hits = await hitsOfMessages(trx, ids);
      const changes: Array<{ id: number; class: string; rule: string }> = [];
      const facts: EngagementFact[] = [];
      for (const [, own] of groupBy(hits, (h) => h.message_id)) {
        const clicks = own.filter((h) => h.kind === 'click').map((h) => ({ id: h.id, at: h.occurred_at, linkIndex: h.link_index }));
        for (const h of own) {
          const verdict = classifyHit(
            {
              kind: h.kind, method: h.method, at: h.occurred_at, userAgent: h.user_agent, ip: h.ip_prefix, headers: h.headers, linkIndex: h.link_index,
              honeypot: h.link_index !== null && h.honeypot_index !== null && h.link_index === h.honeypot_index,
            },
            { handedOverAt: h.sent_at, recentClicks: clicks.filter((c) => c.id !== h.id), settings },
          );
          result.hits++;
          result.rules[verdict.rule] = (result.rules[verdict.rule] ?? 0) + 1;
          if (verdict.class !== h.class || verdict.rule !== h.rule) changes.push({ id: h.id, class: verdict.class, rule: verdict.rule });
          facts.push(factOf(h, verdict.class));
        }
      }
      result.changed += changes.length;
      await setHitClasses(trx, changes);
      await applyEngagement(trx, facts);
    }
    return result;
  });
}

function factOf(h: StoredHit, cls: 'human' | 'machine'): EngagementFact {
  const onLink = h.kind === 'click' && h.link_index !== null && h.url !== null && h.link_index !== h.honeypot_index;
  return {
    messageId: h.message_id, campaignId: h.campaign_id, contactId: h.contact_id, metric: `${h.kind}_${cls}`, at: h.occurred_at,
    ...(onLink ? { link: { index: h.link_index!, url: h.url! } } : {}),
  };
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Whether the campaign's raw hits are still all there: none is pruned before its launch plus the retention. */
export function hitsAreComplete(launchedAt: Date | null, now: Date, retentionDays: number): boolean {
  const cutoff = hitsCutoff(now, retentionDays);
  return !cutoff || !launchedAt || launchedAt >= cutoff;
}

/** Reclassifies and records the outcome in the audit log (an admin's request, or the CLI). */
export async function reclassifyAndAudit(db: Db, campaignId: number, settings: ClassifierSettings, change: { actor: Actor; at: () => Date }) {
  const started = change.at();
  const result = await reclassifyCampaign(db, campaignId, settings);
  await writeAudit(db, {
    actor: change.actor, action: 'tracking.reclassified', subject: `campaign:${campaignId}`,
    details: { hits: result.hits, changed: result.changed, rules: result.rules, started_at: started.toISOString() },
  }, change.at());
  return result;
}
