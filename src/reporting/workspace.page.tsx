// The workspace report as a page: the period and channel, the campaigns side by side, the engagement trend per
// channel, the audience, marketing pressure and deliverability, drawn from workspaceReport as it is. Server-rendered
// with no script; every word from the catalogue (src/i18n).
import { raw } from 'hono/html';
import { messages, type Lang } from '../i18n/index.js';
import { BarChart, CHART_COLORS, LineChart, type Bar } from '../pages/charts.js';
import { Layout, Notice, type Brand } from '../pages/index.js';
import { REPORT_STYLE, Table } from './page-parts.js';
import { DEFAULT_PERIOD_DAYS, type HealthStatus, type WorkspaceReport } from './workspace-report.service.js';

/** The campaigns the rate charts draw, newest first; the table lists every one the report does. */
export const CHARTED_CAMPAIGNS = 20;
/** A campaign's name on a chart, cut so the label stays within the chart on a phone (the table has it whole). */
const LABEL_MAX = 40;
const DAY_MS = 86_400_000;

// A status is said in words and shown in colour, with a border; each pair of colours is above 7:1.
const WORKSPACE_STYLE = [
  REPORT_STYLE,
  // Twelve columns of campaigns: wider than a campaign's report on a desktop; channels and launch times on one line.
  'main,.masthead p{max-width:72rem}',
  '#campaigns th,#campaigns td{padding:10px 6px}',
  '#campaigns td:nth-child(2),#campaigns td:nth-child(3){white-space:nowrap}',
  '.report-part h3{font-size:1rem;margin:20px 0 4px}',
  '.health{display:inline-block;padding:2px 10px;border:2px solid;border-radius:999px;font-weight:700;white-space:nowrap}',
  '.health-ok{background:#ecfdf5;border-color:#047857;color:#064e3b}',
  '.health-warning{background:#fffbeb;border-color:#b45309;color:#78350f}',
  '.health-at_risk{background:#fef3f2;border-color:#b42318;color:#7a271a}',
].join('');

/** A query the page could not use: said in a notice, and the page shown without it. */
export type QueryProblem =
  | { kind: 'date'; field: 'from' | 'to'; value: string }
  | { kind: 'period' }
  | { kind: 'channel'; value: string };

interface WorkspaceReportPageProps {
  lang: Lang;
  brand: Brand;
  report: WorkspaceReport;
  now: Date;
  /** On a share link: when it stops working. */
  sharedUntil?: Date;
  problems?: QueryProblem[];
}

const isMidnight = (d: Date) => d.getTime() % DAY_MS === 0;
const cut = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);
/** A rate (0.3333) in percentage points to one decimal (33.3), the bar's length and printed value. */
const points = (rate: number) => Math.round(rate * 1000) / 10;

export function WorkspaceReportPage({ lang, brand, report, now, sharedUntil, problems = [] }: WorkspaceReportPageProps) {
  const m = messages(lang);
  const t = m.workspaceReport;
  const n = m.charts.number;
  const pct = m.charts.percent;
  const channelName = (key: string) => (Object.hasOwn(m.channels, key) ? m.channels[key as keyof typeof m.channels] : key);
  const from = new Date(report.period.from);
  const to = new Date(report.period.to);
  const period = isMidnight(from) && isMidnight(to) ? t.periodDays(from, new Date(to.getTime() - DAY_MS)) : t.periodTimes(from, to);
  const channel = t.channel(report.period.channel ? channelName(report.period.channel) : t.allChannels);

  // What was wrong with the period, then what is shown instead; then the channel.
  const said = problems.flatMap((p) => (p.kind === 'date' ? [t.invalidDate(p.field, p.value.slice(0, 100))] : p.kind === 'period' ? [t.invalidPeriod] : []));
  if (said.length) said.push(t.defaultPeriod(DEFAULT_PERIOD_DAYS));
  for (const p of problems) if (p.kind === 'channel') said.push(t.unknownChannel(p.value.slice(0, 100)));

  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <style>{raw(WORKSPACE_STYLE)}</style>
      <p class="lead">{`${period} · ${channel}`}<br />{m.report.asOf(now)}</p>
      {sharedUntil && <Notice tone="info">{m.report.sharedUntil(sharedUntil)}</Notice>}
      {said.length > 0 && <Notice tone="warning">{said.join(' ')}</Notice>}
      <Campaigns lang={lang} campaigns={report.campaigns} channelName={channelName} />

      <section class="report-part" aria-labelledby="trend-heading">
        <h2 id="trend-heading">{t.trend.heading}</h2>
        <p>{t.trend.note}</p>
        {report.trend.map((s) => {
          const name = channelName(s.channel);
          // Opens are tracked on email; a channel without any has only its clicks drawn.
          const withOpens = s.channel === 'email' || s.days.some((d) => d.opens > 0);
          return (
            <>
              <h3>{name}</h3>
              <LineChart id={`trend-${s.channel}`} lang={lang} title={t.trend.chart(name)} xHeading={t.trend.day}
                xLabels={s.days.map((d) => m.report.series.day(new Date(`${d.day}T00:00:00Z`)))}
                series={[
                  ...(withOpens ? [{ name: t.trend.opens, values: s.days.map((d) => d.opens), color: CHART_COLORS.accent }] : []),
                  { name: t.trend.clicks, values: s.days.map((d) => d.clicks), color: CHART_COLORS.accent, dashed: true },
                ]} />
            </>
          );
        })}
      </section>

      <section class="report-part" aria-labelledby="audience-heading">
        <h2 id="audience-heading">{t.audience.heading}</h2>
        <p>{t.audience.note}</p>
        <Table id="contacts" caption={t.audience.contacts} head={[t.audience.what, t.audience.count]} rows={[
          [t.audience.atStart, n(report.audience.contacts.at_start)],
          [t.audience.atEnd, n(report.audience.contacts.at_end)],
          [t.audience.created, n(report.audience.contacts.created)],
          [t.audience.erased, n(report.audience.contacts.erased)],
        ]} />
        <Table id="subscriptions" caption={t.audience.subscriptions}
          head={[t.audience.columns.channel, t.audience.columns.subscribedAtStart, t.audience.columns.optIns, t.audience.columns.optOuts, t.audience.columns.optOutRate]}
          rows={report.audience.subscriptions.map((s) => [channelName(s.channel), n(s.subscribed_at_start), n(s.opt_ins), n(s.opt_outs), pct(s.opt_out_rate)])} />
      </section>

      <Pressure lang={lang} pressure={report.pressure} channelName={channelName} />
      <Deliverability lang={lang} deliverability={report.deliverability} />
    </Layout>
  );
}

/** The campaigns launched in the period: a table of every one listed, and their open and click rates drawn. */
function Campaigns({ lang, campaigns, channelName }: { lang: Lang; campaigns: WorkspaceReport['campaigns']; channelName: (key: string) => string }) {
  const m = messages(lang);
  const t = m.workspaceReport.campaigns;
  const n = m.charts.number;
  const pct = m.charts.percent;
  const { items, total } = campaigns;
  const c = t.columns;
  const drawn = items.slice(0, CHARTED_CAMPAIGNS);
  const bar = (name: string, rate: number, part: number, whole: number): Bar => ({ label: cut(name), value: points(rate), note: t.fraction(n(part), n(whole)) });
  const headers = { label: c.campaign, value: t.rate, note: t.ofDelivered };
  const emails = drawn.filter((x) => x.channel === 'email');
  return (
    <section class="report-part" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">{t.heading}</h2>
      <p>{t.note}</p>
      {items.length === 0
        ? <p>{t.none}</p>
        : (
          <>
            {total > items.length && <p>{t.listed(items.length, total)}</p>}
            <Table id="campaigns" caption={t.caption}
              head={[c.campaign, c.channel, c.launched, c.sent, c.delivered, c.opened, c.clicked, c.converted, c.unsubscribed, c.openRate, c.clickRate, c.bounceRate]}
              rows={items.map((x) => {
                // Opens are tracked on email only: another channel's are not zero, they are not measured.
                const opens = x.channel === 'email' || x.opened > 0;
                return [
                  x.name, channelName(x.channel), t.launched(new Date(x.launched_at)), n(x.sent), n(x.delivered), opens ? n(x.opened) : '—', n(x.clicked),
                  n(x.converted), n(x.unsubscribed), opens ? pct(x.rates.open) : '—', pct(x.rates.click), pct(x.rates.bounce),
                ];
              })} />
            {items.length > drawn.length && <p>{t.drawn(drawn.length, items.length)}</p>}
            {emails.length > 0 && (
              <>
                <h3>{t.openChart}</h3>
                <BarChart id="open-rates" lang={lang} title={t.openChart} headers={headers} bars={emails.map((x) => bar(x.name, x.rates.open, x.opened, x.delivered))} />
              </>
            )}
            <h3>{t.clickChart}</h3>
            <BarChart id="click-rates" lang={lang} title={t.clickChart} headers={headers} bars={drawn.map((x) => bar(x.name, x.rates.click, x.clicked, x.delivered))} />
          </>
        )}
    </section>
  );
}

/** What caps did, per channel (and in all when there are several) and per rule. */
function Pressure({ lang, pressure, channelName }: { lang: Lang; pressure: WorkspaceReport['pressure']; channelName: (key: string) => string }) {
  const m = messages(lang);
  const t = m.workspaceReport.pressure;
  const n = m.charts.number;
  const c = t.columns;
  type Figures = Omit<WorkspaceReport['pressure'], 'by_rule' | 'channels'>;
  const row = (name: string, f: Figures) => [name, n(f.targeted), n(f.capped), n(f.deferred), n(f.deferred_waiting), m.charts.percent(f.capped_rate)];
  return (
    <section class="report-part" aria-labelledby="pressure-heading">
      <h2 id="pressure-heading">{t.heading}</h2>
      <p>{t.note}</p>
      <Table id="pressure" caption={t.caption} head={[c.channel, c.targeted, c.capped, c.deferred, c.waiting, c.cappedRate]}
        rows={[...pressure.channels.map((f) => row(channelName(f.channel), f)), ...(pressure.channels.length > 1 ? [row(t.total, pressure)] : [])]} />
      {pressure.by_rule.length === 0
        ? <p id="pressure-rules">{t.noRule}</p>
        : <Table id="pressure-rules" caption={t.byRule} head={[t.rule, c.capped, c.deferred]} rows={pressure.by_rule.map((r) => [r.rule, n(r.capped), n(r.deferred)])} />}
    </section>
  );
}

/** A status in words, in its colour. */
function Health({ lang, status }: { lang: Lang; status: HealthStatus }) {
  return <span class={`health health-${status}`}>{messages(lang).workspaceReport.deliverability.statuses[status]}</span>;
}

/** Email bounce and complaint rates against SES's thresholds, each with its status, and the counts they come from. */
function Deliverability({ lang, deliverability: d }: { lang: Lang; deliverability: WorkspaceReport['deliverability'] }) {
  const m = messages(lang);
  const t = m.workspaceReport.deliverability;
  const n = m.charts.number;
  const c = t.columns;
  return (
    <section class="report-part" aria-labelledby="deliverability-heading">
      <h2 id="deliverability-heading">{t.heading}</h2>
      {!d
        ? <p>{t.emailOnly}</p>
        : (
          <>
            <p>{t.note}</p>
            <p id="deliverability-overall"><strong>{t.overall}</strong> <Health lang={lang} status={d.status.overall} /></p>
            <div class="table-scroll" role="region" aria-label={t.caption} tabindex={0}>
              <table id="deliverability">
                <caption>{t.caption}</caption>
                <thead><tr>{[c.rate, c.status, c.value, c.warning, c.atRisk].map((h) => <th scope="col">{h}</th>)}</tr></thead>
                <tbody>
                  {([['bounce', t.bounce], ['complaint', t.complaint]] as const).map(([key, label]) => (
                    <tr>
                      <th scope="row">{label}</th>
                      {/* The status first: on a phone it is seen without scrolling the table. */}
                      <td><Health lang={lang} status={d.status[key]} /></td>
                      <td>{t.percent(d.rates[key])}</td><td>{t.percent(d.thresholds[key].warning)}</td><td>{t.percent(d.thresholds[key].at_risk)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Table id="deliverability-counts" caption={t.counts} head={[t.what, t.count]} rows={[
              [t.sent, n(d.sent)], [t.delivered, n(d.delivered)], [t.bouncedHard, n(d.bounced.hard)], [t.bouncedSoft, n(d.bounced.soft)],
              [t.rejected, n(d.rejected)], [t.complained, n(d.complained)],
            ]} />
          </>
        )}
    </section>
  );
}
