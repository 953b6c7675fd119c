// The workspace report over a period: campaigns side by side, the engagement trend per channel, audience growth and
// opt-outs, marketing pressure (what caps held back), and email deliverability against SES's review thresholds.
// Definitions follow the campaign report's (delivered = sent − bounced − rejected; rates by `rate`); the choices
// are written out in docs/REPORTS.md, "Workspace report".
import { SENDABLE_CHANNELS, CHANNEL_NAMES } from '../channels/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { withStatementTimeout } from '../db/statement-timeout.js';
import { InvalidInputError } from '../errors.js';
import { rate } from './campaign-report.service.js';
import {
  campaignMetricTotals, campaignsLaunchedIn, capOutcomes, consentChanges, contactsCreated, dailyMetrics, dailySent, erasuresSince, sentByCampaign,
  type CapOutcome, type DailyMetric, type MetricTotals, type Period,
} from './workspace-report.repository.js';

const DAY_MS = 86_400_000;
export const DEFAULT_PERIOD_DAYS = 30;
export const MAX_PERIOD_DAYS = 366;

/**
 * SES's account-level review thresholds (a bounce rate of 5%, a complaint rate of 0.1%: the account is placed under
 * review), and our warning at half of each, so there is time to act before SES does.
 */
export const THRESHOLDS = {
  bounce: { warning: 0.025, at_risk: 0.05 },
  complaint: { warning: 0.0005, at_risk: 0.001 },
} as const;

export type HealthStatus = 'ok' | 'warning' | 'at_risk';

/** ok below the warning level, warning from it, at_risk from the review threshold. Compares the exact ratio, not the rounded rate. */
export function healthStatus(part: number, whole: number, levels: { warning: number; at_risk: number }): HealthStatus {
  if (!whole) return 'ok';
  const ratio = part / whole;
  if (ratio >= levels.at_risk) return 'at_risk';
  if (ratio >= levels.warning) return 'warning';
  return 'ok';
}

const WORST: HealthStatus[] = ['ok', 'warning', 'at_risk'];
const worst = (...s: HealthStatus[]) => WORST[Math.max(...s.map((x) => WORST.indexOf(x)))];

/** The period asked for: [from, to), 30 days up to now by default, at most 366 days. */
export function resolvePeriod(input: { from?: Date; to?: Date }, now: Date): Period {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  // The field named is the one given: `to` when it was, else `from` (checked against now).
  const field = input.to ? 'to' : 'from';
  if (to <= from) {
    throw new InvalidInputError('Invalid period', [{ field, message: input.to ? 'must be after from' : 'must be before now (to defaults to now)' }]);
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new InvalidInputError('Invalid period', [{
      field, message: input.to ? `must be at most ${MAX_PERIOD_DAYS} days after from` : `must be at most ${MAX_PERIOD_DAYS} days before now (to defaults to now)`,
    }]);
  }
  return { from, to };
}

export interface WorkspaceReportOptions {
  from?: Date;
  to?: Date;
  channel?: (typeof SENDABLE_CHANNELS)[number];
  now: Date;
  /** Each statement's time limit (the previews' budget): a long period over a large ledger is refused, not left to run. */
  statementTimeoutMs?: number;
}

const TREND_METRICS = ['open_human', 'click_human', 'reply', 'conversion', 'unsubscribe'] as const;
const HEALTH_METRICS = ['bounce_hard', 'bounce_soft', 'complaint', 'reject'] as const;
const ZERO: MetricTotals = { events: 0, uniques: 0, value: 0 };

export async function workspaceReport(db: Database, options: WorkspaceReportOptions) {
  const period = resolvePeriod(options, options.now);
  const { channel } = options;
  const read = async (x: Database) => {
    const listed = await campaignsLaunchedIn(x, period, channel);
    const ids = listed.campaigns.map((c) => c.id);
    const [totals, sent, metrics, sentDaily, contacts, erasures, consent, caps] = await Promise.all([
      campaignMetricTotals(x, ids), sentByCampaign(x, ids),
      dailyMetrics(x, period, channel, [...TREND_METRICS, ...HEALTH_METRICS]), dailySent(x, period, channel),
      contactsCreated(x, period), erasuresSince(x, period), consentChanges(x, period, channel), capOutcomes(x, period, channel),
    ]);
    return { listed, totals, sent, metrics, sentDaily, contacts, erasures, consent, caps };
  };
  const r = options.statementTimeoutMs === undefined ? await read(db) : await withStatementTimeout(db, options.statementTimeoutMs, read);
  const channels = channel ? [channel] : [...SENDABLE_CHANNELS];

  const campaigns = r.listed.campaigns.map((c) => {
    const m = r.totals.get(c.id) ?? new Map<string, MetricTotals>();
    return campaignFigures(c, r.sent.get(c.id) ?? 0, (metric) => m.get(metric) ?? ZERO);
  });

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), channel: channel ?? null },
    campaigns: { total: r.listed.total, items: campaigns },
    trend: trend(period, channels, r.metrics, r.sentDaily),
    audience: {
      contacts: audienceContacts(r.contacts, r.erasures),
      subscriptions: (channel ? [channel] : CHANNEL_NAMES).map((ch) => {
        const row = r.consent.find((x) => x.channel === ch) ?? { subscribedAtStart: 0, optIns: 0, optOuts: 0 };
        return { channel: ch, subscribed_at_start: row.subscribedAtStart, opt_ins: row.optIns, opt_outs: row.optOuts, opt_out_rate: rate(row.optOuts, row.subscribedAtStart) };
      }),
    },
    pressure: pressure(channels, r.caps),
    deliverability: channels.includes('email') ? deliverability(r.metrics, r.sentDaily) : null,
  };
}

export type WorkspaceReport = Awaited<ReturnType<typeof workspaceReport>>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One campaign as a whole (all its hours, not only the period's), with the campaign report's definitions. */
function campaignFigures(c: { id: number; name: string; channel: string; kind: string; launched_at: Date }, sent: number, of: (metric: string) => MetricTotals) {
  // bounce_soft's uniques are the messages that only ever bounced soft: a soft bounce that turns hard moves to hard.
  const bounced = { hard: of('bounce_hard').uniques, soft: of('bounce_soft').uniques };
  const rejected = of('reject').events;
  const delivered = Math.max(0, sent - bounced.hard - bounced.soft - rejected);
  const opened = of('open_human').uniques;
  const clicked = of('click_human').uniques;
  const replied = of('reply').uniques;
  const converted = of('conversion').uniques;
  const unsubscribed = of('unsubscribe').uniques;
  const complained = of('complaint').uniques;
  return {
    id: c.id, name: c.name, channel: c.channel, kind: c.kind, launched_at: c.launched_at.toISOString(),
    sent, delivered, bounced, rejected, complained, opened, clicked, replied, converted,
    conversions: { count: of('conversion').events, revenue: round2(of('conversion').value) },
    unsubscribed,
    rates: {
      bounce: rate(bounced.hard + bounced.soft, sent),
      open: rate(opened, delivered), click: rate(clicked, delivered), reply: rate(replied, delivered), conversion: rate(converted, delivered),
      unsubscribe: rate(unsubscribed, delivered), complaint: rate(complained, delivered),
    },
  };
}

/** Every UTC day the period touches, YYYY-MM-DD. */
export function daysOf(p: Period): string[] {
  const days: string[] = [];
  for (let t = Math.floor(p.from.getTime() / DAY_MS) * DAY_MS; t < p.to.getTime(); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

function trend(p: Period, channels: string[], metrics: DailyMetric[], sent: Array<{ channel: string; day: string; sent: number }>) {
  const days = daysOf(p);
  return channels.map((ch) => {
    const points = new Map(days.map((day) => [day, { day, sent: 0, opens: 0, clicks: 0, replies: 0, conversions: 0, revenue: 0, unsubscribes: 0 }]));
    for (const s of sent) if (s.channel === ch) points.get(s.day)!.sent += s.sent;
    for (const m of metrics) {
      const point = m.channel === ch ? points.get(m.day) : undefined;
      if (!point) continue;
      if (m.metric === 'open_human') point.opens += m.events;
      else if (m.metric === 'click_human') point.clicks += m.events;
      else if (m.metric === 'reply') point.replies += m.events;
      else if (m.metric === 'unsubscribe') point.unsubscribes += m.events;
      else if (m.metric === 'conversion') {
        point.conversions += m.events;
        point.revenue += m.value;
      }
    }
    return { channel: ch, days: [...points.values()].map((x) => ({ ...x, revenue: round2(x.revenue) })) };
  });
}

/**
 * Contacts at the start and end of the period, rebuilt from the contacts on file now and the erasures the audit log
 * recorded since: on file at X = on file now and created before X, plus erased since X. A contact row goes at
 * erasure, with its created_at; one created after X and erased since is therefore counted at X (too high by one)
 * and missing from `created`, so at_end = at_start + created − erased still holds.
 */
function audienceContacts(c: { beforeFrom: number; beforeTo: number }, e: { sinceFrom: number; sinceTo: number }) {
  return {
    at_start: c.beforeFrom + e.sinceFrom,
    at_end: c.beforeTo + e.sinceTo,
    created: c.beforeTo - c.beforeFrom,
    erased: e.sinceFrom - e.sinceTo,
  };
}

/**
 * What caps did to the messages of the marketing campaigns launched in the period:
 * - capped: skipped by a cap (on_cap skip, or a deferral past the deadline);
 * - deferred: postponed by a cap (on_cap defer), whatever happened next (capped_by stays on the message once it is
 *   sent, or held back at hand-over for another reason); deferred_waiting: those still pending;
 * - targeted: not skipped (the campaign report's targeted: sent, failed, pending…);
 * - capped_rate: capped / (targeted + capped), the share of the messages consent, address and suppression let
 *   through that a cap dropped.
 */
function pressure(channels: string[], rows: CapOutcome[]) {
  const figures = (list: CapOutcome[]) => {
    let targeted = 0, capped = 0, deferred = 0, waiting = 0;
    for (const r of list) {
      const skippedByCap = r.status === 'skipped' && r.skip_reason === 'capped';
      if (r.status !== 'skipped') targeted += r.n;
      if (skippedByCap) capped += r.n;
      else if (r.capped_by) {
        deferred += r.n;
        if (r.status === 'pending') waiting += r.n;
      }
    }
    return { targeted, capped, deferred, deferred_waiting: waiting, capped_rate: rate(capped, targeted + capped) };
  };
  const rules = new Map<string, { rule: string; capped: number; deferred: number }>();
  for (const r of rows) {
    const skippedByCap = r.status === 'skipped' && r.skip_reason === 'capped';
    if (!skippedByCap && !r.capped_by) continue;
    const name = r.capped_by ?? 'cap';
    const entry = rules.get(name) ?? { rule: name, capped: 0, deferred: 0 };
    if (skippedByCap) entry.capped += r.n;
    else entry.deferred += r.n;
    rules.set(name, entry);
  }
  return {
    ...figures(rows),
    by_rule: [...rules.values()].sort((a, b) => b.capped + b.deferred - (a.capped + a.deferred) || (a.rule < b.rule ? -1 : 1)),
    channels: channels.map((ch) => ({ channel: ch, ...figures(rows.filter((r) => r.channel === ch)) })),
  };
}

/**
 * Email over the period, as SES judges an account: hard bounces over messages sent (SES counts only hard bounces;
 * soft ones are retried), complaints over messages delivered. Both count messages (uniques), not notifications: a
 * message reported twice, or soft then hard, is one bounce. Campaign mail only: what else the account sends
 * (double opt-in confirmations) is not counted.
 */
function deliverability(metrics: DailyMetric[], sentDaily: Array<{ channel: string; sent: number }>) {
  const email = metrics.filter((m) => m.channel === 'email');
  const sum = (metric: string, key: 'events' | 'uniques') => email.filter((m) => m.metric === metric).reduce((a, m) => a + m[key], 0);
  const sent = sentDaily.filter((s) => s.channel === 'email').reduce((a, s) => a + s.sent, 0);
  const bounced = { hard: sum('bounce_hard', 'uniques'), soft: sum('bounce_soft', 'uniques') };
  const rejected = sum('reject', 'events');
  const complained = sum('complaint', 'uniques');
  const delivered = Math.max(0, sent - bounced.hard - bounced.soft - rejected);
  const bounce = healthStatus(bounced.hard, sent, THRESHOLDS.bounce);
  const complaint = healthStatus(complained, delivered, THRESHOLDS.complaint);
  return {
    sent, delivered, bounced, rejected, complained,
    rates: { bounce: rate(bounced.hard, sent), complaint: rate(complained, delivered) },
    status: { overall: worst(bounce, complaint), bounce, complaint },
    thresholds: THRESHOLDS,
  };
}
