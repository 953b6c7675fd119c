// A campaign's report as a page: the funnel, opens and clicks over time, clicks per link and the breakdowns, drawn
// from campaignReport as it is. Server-rendered with no script; every word from the catalogue (src/i18n).
import { raw } from 'hono/html';
import { messages, type Lang } from '../i18n/index.js';
import { CHART_COLORS, FunnelChart, LineChart } from '../pages/charts.js';
import { Layout, Notice, type Brand } from '../pages/index.js';
import type { CampaignReport } from './campaign-report.service.js';
import { REPORT_STYLE, Table } from './page-parts.js';

type Row = CampaignReport['breakdowns']['channel'][number];

interface ReportPageProps {
  lang: Lang;
  brand: Brand;
  report: CampaignReport;
  now: Date;
  /** On a share link: when it stops working. */
  sharedUntil?: Date;
  /** A `?by=` that is not a declared attribute: said, and the rest shown. */
  unknownAttribute?: string;
}

export function ReportPage({ lang, brand, report, now, sharedUntil, unknownAttribute }: ReportPageProps) {
  const m = messages(lang);
  const t = m.report;
  const { campaign, funnel, engagement, series, breakdowns } = report;
  const n = m.charts.number;
  const channelName = (key: string) => (Object.hasOwn(m.channels, key) ? m.channels[key as keyof typeof m.channels] : key);
  const status = Object.hasOwn(t.statuses, campaign.status) ? t.statuses[campaign.status as keyof typeof t.statuses] : campaign.status;
  const launched = campaign.launched_at ? t.launched(new Date(campaign.launched_at)) : t.notLaunched;
  const showReplies = campaign.channel === 'sms' || funnel.replied > 0;

  const steps = [
    { label: t.funnel.steps.targeted, value: funnel.targeted },
    { label: t.funnel.steps.sent, value: funnel.sent },
    { label: t.funnel.steps.delivered, value: funnel.delivered, share: funnel.rates.delivery },
    { label: t.funnel.steps.opened, value: funnel.opened.human, share: funnel.rates.open },
    { label: t.funnel.steps.clicked, value: funnel.clicked.human, share: funnel.rates.click },
    ...(showReplies ? [{ label: t.funnel.steps.replied, value: funnel.replied, share: funnel.rates.reply }] : []),
    { label: t.funnel.steps.converted, value: funnel.converted, share: funnel.rates.conversion },
  ];
  const outcomes: Array<[string, string]> = [
    [t.outcomes.heldBack, n(funnel.held_back)],
    [t.outcomes.bouncedHard, n(funnel.bounced.hard)],
    [t.outcomes.bouncedSoft, n(funnel.bounced.soft)],
    [t.outcomes.complained, n(funnel.complained)],
    [t.outcomes.unsubscribed, n(funnel.unsubscribed)],
    [t.outcomes.openedByMachines, n(funnel.opened.machine)],
    [t.outcomes.clickedByMachines, n(funnel.clicked.machine)],
    [t.outcomes.revenue, n(funnel.revenue)],
  ];
  const xLabels = series.points.map((p) => (p.granularity === 'hour' ? t.series.hour(new Date(p.at)) : t.series.day(new Date(p.at))));
  const values = (metric: string) => series.points.map((p) => p.values[metric] ?? 0);
  const lines = [
    { name: t.series.openHuman, values: values('open_human'), color: CHART_COLORS.accent },
    { name: t.series.openMachine, values: values('open_machine'), color: CHART_COLORS.muted },
    { name: t.series.clickHuman, values: values('click_human'), color: CHART_COLORS.accent, dashed: true },
    { name: t.series.clickMachine, values: values('click_machine'), color: CHART_COLORS.muted, dashed: true },
  ];

  return (
    <Layout lang={lang} brand={brand} title={t.title(campaign.name)}>
      <style>{raw(REPORT_STYLE)}</style>
      <p class="lead">{`${channelName(campaign.channel)} · ${status} · ${launched}`}<br />{t.asOf(now)}</p>
      {sharedUntil && <Notice tone="info">{t.sharedUntil(sharedUntil)}</Notice>}
      {unknownAttribute !== undefined && <Notice tone="warning">{t.unknownAttribute(unknownAttribute.slice(0, 100))}</Notice>}

      <section class="report-part" aria-labelledby="funnel-heading">
        <h2 id="funnel-heading">{t.funnel.heading}</h2>
        <p>{t.funnel.note}</p>
        <FunnelChart id="funnel" lang={lang} title={t.funnel.heading} steps={steps} headers={{ step: t.funnel.step, count: t.funnel.count, rate: t.funnel.rate }} />
        <Table id="outcomes" caption={t.outcomes.heading} head={[t.outcomes.what, t.outcomes.count]} rows={outcomes.map(([what, count]) => [what, count])} />
      </section>

      <section class="report-part" aria-labelledby="series-heading">
        <h2 id="series-heading">{t.series.heading}</h2>
        <p>{t.series.note}{series.truncated ? ` ${t.series.truncated}` : ''}</p>
        <LineChart id="series" lang={lang} title={t.series.heading} xLabels={xLabels} series={lines} xHeading={t.series.time} />
      </section>

      <section class="report-part" aria-labelledby="links-heading">
        <h2 id="links-heading">{t.links.heading}</h2>
        <p>{t.links.note}</p>
        {engagement.clicks.by_link.length === 0
          ? <p>{t.links.none}</p>
          : (
            <div class="table-scroll" role="region" aria-labelledby="links-heading" tabindex={0}>
              <table id="links">
                <thead><tr><th scope="col">{t.links.link}</th><th scope="col">{t.links.people}</th><th scope="col">{t.links.machines}</th><th scope="col">{t.links.total}</th></tr></thead>
                <tbody>
                  {engagement.clicks.by_link.map((l) => (
                    <tr>
                      <td class="link">{/^https?:\/\//i.test(l.url) ? <a href={l.url} rel="noopener noreferrer">{l.url}</a> : l.url}</td>
                      <td>{n(l.human)}</td><td>{n(l.machine)}</td><td>{n(l.human + l.machine)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>

      <section class="report-part" aria-labelledby="breakdowns-heading">
        <h2 id="breakdowns-heading">{t.breakdowns.heading}</h2>
        <p>{t.breakdowns.note}</p>
        <Breakdown id="by-channel" lang={lang} caption={t.breakdowns.channel} heading={t.breakdowns.keys.channel} rows={breakdowns.channel} name={channelName} />
        <Breakdown id="by-variant" lang={lang} caption={t.breakdowns.variant} heading={t.breakdowns.keys.variant} rows={breakdowns.variant}
          name={(key) => (key === 'default' ? t.breakdowns.defaultVariant : key)} />
        <Breakdown id="by-locale" lang={lang} caption={t.breakdowns.locale} heading={t.breakdowns.keys.locale} rows={breakdowns.locale} />
        {breakdowns.attribute && (
          <Breakdown id="by-attribute" lang={lang} caption={t.breakdowns.attribute(breakdowns.attribute.name)} heading={breakdowns.attribute.name}
            rows={breakdowns.attribute.rows} />
        )}
      </section>
    </Layout>
  );
}

/** One breakdown: a row per channel, variant, language or attribute value, with engagement and rates over sent. */
function Breakdown({ id, lang, caption, heading, rows, name = (key) => key }: {
  id: string; lang: Lang; caption: string; heading: string; rows: Row[]; name?: (key: string) => string;
}) {
  const m = messages(lang);
  const t = m.report.breakdowns;
  if (!rows.length || rows.every((r) => r.sent === 0)) {
    return <p id={id}><strong>{caption}</strong>{` — ${t.none}`}</p>;
  }
  const n = m.charts.number;
  const c = t.columns;
  return (
    <Table id={id} class="breakdown" caption={caption}
      head={[heading, c.sent, c.opened, c.clicked, c.replied, c.converted, c.revenue, c.unsubscribed, c.openRate, c.clickRate]}
      rows={rows.map((r) => [
        r.key === null || r.key === '' ? t.notSet : name(r.key), n(r.sent), n(r.opened), n(r.clicked), n(r.replied), n(r.converted), n(r.revenue), n(r.unsubscribed),
        m.charts.percent(r.rates.open), m.charts.percent(r.rates.click),
      ])} />
  );
}

/** A share link that is tampered with, expired or names a campaign that is gone: says nothing about which. */
export function InvalidReportLinkPage({ lang, brand }: { lang: Lang; brand: Brand }) {
  const t = messages(lang).invalidLink;
  return (
    <Layout lang={lang} brand={brand} title={t.title}>
      <p>{t.body}</p>
    </Layout>
  );
}
