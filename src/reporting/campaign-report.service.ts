// A campaign's report: the funnel from targeted to converted, what consent, suppression, caps and quiet hours held
// back (and why), engagement human and machine side by side, its time series and breakdowns. Delivery and hold-backs
// are read from the ledger; engagement from the rollups the ingestion keeps (docs/REPORTS.md).
import { campaignAbTest, getCampaignRecord } from '../campaigns/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { campaignOutcomes, tallyOutcomes } from '../delivery/index.js';
import { InvalidInputError } from '../errors.js';
import { listAttributeDefinitions } from '../contacts/index.js';
import { contentFor, type FrozenContent } from '../templates/index.js';
import { cachedBreakdown, campaignHours, campaignLinks, campaignTotals, saveBreakdown, sentMessagesBy, type BreakdownRow, type MetricTotals } from './campaign-report.repository.js';
import { bucketSeries } from './series.js';

export const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

export const SERIES_METRICS = ['open_human', 'open_machine', 'click_human', 'click_machine'] as const;

/**
 * The work budget of breakdowns: grouping every sent message with its contact costs about a second at a million
 * (bench/RESULTS.md). Up to LIVE_BREAKDOWN_LIMIT messages sent they are computed on every read; past it, at most
 * every BREAKDOWN_MAX_AGE_MS, kept in report_breakdowns, and the report says when (`computed_at`).
 */
export const LIVE_BREAKDOWN_LIMIT = 50_000;
export const BREAKDOWN_MAX_AGE_MS = 5 * 60_000;

async function breakdownOf(
  db: Database, id: number, by: { locale: true } | { attribute: string }, sent: number, now: Date,
  budget = { liveLimit: LIVE_BREAKDOWN_LIMIT, maxAgeMs: BREAKDOWN_MAX_AGE_MS },
) {
  if (sent <= budget.liveLimit) return { rows: await sentMessagesBy(db, id, by), computedAt: now };
  const dimension = 'locale' in by ? 'locale' : `attribute:${by.attribute}`;
  const cached = await cachedBreakdown(db, id, dimension);
  if (cached && now.getTime() - cached.computedAt.getTime() < budget.maxAgeMs && cached.computedAt <= now) return cached;
  const rows = await sentMessagesBy(db, id, by);
  await saveBreakdown(db, id, dimension, rows, now);
  return { rows, computedAt: now };
}

export interface ReportOptions {
  /** A declared attribute to break the audience down by (host, ambassador…). */
  by?: string;
  now: Date;
  /** The breakdowns' work budget (tests lower it). */
  breakdowns?: { liveLimit: number; maxAgeMs: number };
}

export async function campaignReport(db: Database, id: number, options: ReportOptions) {
  const campaign = await getCampaignRecord(db, id);
  if (options.by !== undefined) {
    const declared = await listAttributeDefinitions(db);
    if (!declared.some((a) => a.name === options.by)) {
      throw new InvalidInputError('Unknown attribute', [{ field: 'by', message: `"${options.by}" is not a declared attribute` }]);
    }
  }
  const [outcomes, totals, links, hours, abTest] = await Promise.all([
    campaignOutcomes(db, id),
    campaignTotals(db, id),
    campaignLinks(db, id),
    campaignHours(db, id, SERIES_METRICS),
    campaignAbTest(db, campaign),
  ]);
  const t = tallyOutcomes(outcomes);
  const { sent } = t.status;
  const [locales, attribute] = await Promise.all([
    breakdownOf(db, id, { locale: true }, sent, options.now, options.breakdowns),
    options.by === undefined ? Promise.resolve(undefined) : breakdownOf(db, id, { attribute: options.by }, sent, options.now, options.breakdowns),
  ]);
  const byLocale = locales.rows;
  const byAttribute = attribute?.rows;
  const of = (metric: string): MetricTotals => totals.get(metric) ?? { events: 0, uniques: 0, value: 0 };
  const bounced = { hard: of('bounce_hard').uniques, soft: of('bounce_soft').uniques };
  const rejected = of('reject').events;
  // Delivered: sent, less what bounced or was rejected. SES also confirms deliveries (delivery_confirmed); SMS and
  // the outbox confirm nothing, so the difference is the one definition every channel shares.
  const delivered = Math.max(0, sent - bounced.hard - bounced.soft - rejected);
  const tracked = (kind: 'open' | 'click') => ({
    human: of(`${kind}_human`).events, machine: of(`${kind}_machine`).events,
    unique_human: of(`${kind}_human`).uniques, unique_machine: of(`${kind}_machine`).uniques,
  });
  const opens = tracked('open');
  const clicks = tracked('click');
  const replies = of('reply').uniques;
  const conversions = { count: of('conversion').events, revenue: round2(of('conversion').value), converted: of('conversion').uniques };
  const unsubscribes = of('unsubscribe').uniques;
  const complained = of('complaint').uniques;
  const heldBack = sumHeldBack(t.held_back);

  const launched = campaign.launched_at ? new Date(campaign.launched_at) : undefined;
  const last = hours.length ? hours[hours.length - 1].hour : launched;
  const series = launched
    ? bucketSeries(hours, SERIES_METRICS, launched, new Date(Math.min(options.now.getTime(), Math.max(last!.getTime(), launched.getTime()))))
    : { points: [], truncated: false };

  const variants = new Map<string, BreakdownRow>();
  for (const row of byLocale) {
    const variant = campaign.content ? contentFor(campaign.content as unknown as FrozenContent, row.key).variant : 'default';
    variants.set(variant, addRows(variants.get(variant), { ...row, key: variant }));
  }
  const channelRow: BreakdownRow = {
    key: campaign.channel, sent, opened: opens.unique_human, clicked: clicks.unique_human, replied: replies, converted: conversions.converted,
    revenue: conversions.revenue, unsubscribed: unsubscribes,
  };
  const withRates = (rows: BreakdownRow[]) => rows.map((r) => ({ ...r, revenue: round2(r.revenue), rates: { open: rate(r.opened, r.sent), click: rate(r.clicked, r.sent) } }));

  return {
    campaign: {
      id: campaign.id, name: campaign.name, channel: campaign.channel, kind: campaign.kind, priority: campaign.priority, status: campaign.status,
      launched_at: campaign.launched_at, completed_at: campaign.completed_at,
    },
    delivery: { audience: t.audience, targeted: t.targeted, ...t.status },
    held_back: t.held_back,
    // Pending messages waiting: for quiet hours, a cap window that reopens (on_cap: defer), their recipient's local time
    // (a launch at a local time), or their next attempt after a retryable failure.
    deferred: { quiet_hours: t.deferred.quiet_hours, caps: t.deferred.caps, local_time: t.deferred.local_time, retrying: t.retrying },
    funnel: {
      // Everyone the audience selected; held_back of them were not sent to (each reason in held_back above).
      targeted: t.audience,
      held_back: heldBack,
      sent,
      delivered,
      delivery_confirmed: of('delivered').uniques,
      bounced,
      rejected,
      complained,
      opened: { human: opens.unique_human, machine: opens.unique_machine },
      clicked: { human: clicks.unique_human, machine: clicks.unique_machine },
      replied: replies,
      converted: conversions.converted,
      revenue: conversions.revenue,
      unsubscribed: unsubscribes,
      rates: {
        delivery: rate(delivered, sent), bounce: rate(bounced.hard + bounced.soft, sent), complaint: rate(complained, delivered),
        open: rate(opens.unique_human, delivered), click: rate(clicks.unique_human, delivered), click_to_open: rate(clicks.unique_human, opens.unique_human),
        reply: rate(replies, delivered), conversion: rate(conversions.converted, delivered), unsubscribe: rate(unsubscribes, delivered),
      },
    },
    engagement: {
      // Messages a person opened, clicked; with a reply, an attributed conversion.
      opened: opens.unique_human, clicked: clicks.unique_human, replied: replies, converted: conversions.converted,
      // Every raw hit of the pixel and the tracked links, human and machine side by side (docs/TRACKING.md); unique
      // counts are messages with at least one such hit.
      opens,
      clicks: { ...clicks, by_link: links },
      replies,
      conversions: { count: conversions.count, revenue: conversions.revenue },
      unsubscribes,
      // Over messages delivered; opens and clicks are people's (the first human one of each message).
      rates: {
        open: rate(opens.unique_human, delivered), click: rate(clicks.unique_human, delivered), click_to_open: rate(clicks.unique_human, opens.unique_human),
        reply: rate(replies, delivered), conversion: rate(conversions.converted, delivered), unsubscribe: rate(unsubscribes, delivered),
      },
    },
    series: { metrics: [...SERIES_METRICS], truncated: series.truncated, points: series.points },
    breakdowns: {
      computed_at: new Date(Math.min(locales.computedAt.getTime(), attribute?.computedAt.getTime() ?? Infinity)).toISOString(),
      channel: withRates([channelRow]),
      variant: withRates([...variants.values()].sort((a, b) => b.sent - a.sent)),
      locale: withRates(byLocale),
      ...(byAttribute ? { attribute: { name: options.by!, rows: withRates(byAttribute) } } : {}),
    },
    // An A/B test's variants, each with its test group's results (the winner marked), and the rest's.
    ...(abTest ? { ab_test: abTest } : {}),
  };
}

export type CampaignReport = Awaited<ReturnType<typeof campaignReport>>;

const round2 = (n: number) => Math.round(n * 100) / 100;

function addRows(a: BreakdownRow | undefined, b: BreakdownRow): BreakdownRow {
  if (!a) return b;
  return {
    key: a.key, sent: a.sent + b.sent, opened: a.opened + b.opened, clicked: a.clicked + b.clicked, replied: a.replied + b.replied,
    converted: a.converted + b.converted, revenue: a.revenue + b.revenue, unsubscribed: a.unsubscribed + b.unsubscribed,
  };
}

/** Everything held back, summed: consent (each reason), no address, suppressed, deleted, the deadline and the caps. */
function sumHeldBack(h: ReturnType<typeof tallyOutcomes>['held_back']): number {
  const consent = Object.values(h.consent).reduce((a, b) => a + b, 0);
  const capped = Object.values(h.capped).reduce((a, b) => a + b, 0);
  return consent + capped + h.no_address + h.suppressed + h.contact_deleted + h.deadline;
}
