import { createRouter } from '../http/app-env.js';
import { csvResponse, oneBatch, prefersCsv, type CsvValue } from '../http/csv.js';
import { campaignReportRoute } from './campaign-report.routes.js';
import { campaignReport, type CampaignReport } from './campaign-report.service.js';
import { recipientsRouter } from './recipients.handlers.js';
import { timelineRouter } from './timeline.handlers.js';

export function reportsRouter() {
  const app = createRouter();
  app.openapi(campaignReportRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { id } = c.req.valid('param');
    const report = await campaignReport(db, id, { by: c.req.valid('query').by, now: clock() });
    c.header('Vary', 'Accept');
    if (prefersCsv(c.req.header('accept'))) return csvResponse(c, `campaign-${id}-report.csv`, REPORT_CSV_COLUMNS, oneBatch(reportCsvRows(report)));
    return c.json(report, 200);
  });
  app.route('/', recipientsRouter());
  app.route('/', timelineRouter());
  return app;
}

export const REPORT_CSV_COLUMNS = ['section', 'metric', 'key', 'value'];

/** Maps whose keys are data (a pressure rule's wording): each entry is a row with the key in `key`. */
const KEYED = new Set(['held_back.capped', 'deferred.caps']);

/**
 * The report in long form, one number (or fact) per row, so a spreadsheet can filter and pivot it: each section's
 * fields by their path (funnel, rates.open), the clicks per link keyed by the link's index, the series keyed by the
 * start of each bucket, and the breakdowns keyed by their group.
 */
export function reportCsvRows(report: CampaignReport): CsvValue[][] {
  const rows: CsvValue[][] = [];
  const fields = (section: string, value: unknown, path: string[] = []) => {
    if (Array.isArray(value)) return; // lists are sections of their own, below
    if (value === null || typeof value !== 'object' || value instanceof Date) {
      rows.push([section, path.join('.'), null, value as CsvValue]);
      return;
    }
    const keyed = KEYED.has([section, ...path].join('.'));
    for (const [name, inner] of Object.entries(value)) {
      if (keyed) rows.push([section, path.join('.'), name, inner as CsvValue]);
      else fields(section, inner, [...path, name]);
    }
  };
  const { series, breakdowns, ab_test: abTest, ...sections } = report;
  for (const [section, value] of Object.entries(sections)) fields(section, value);

  for (const l of report.engagement.clicks.by_link) {
    rows.push(['by_link', 'url', l.link, l.url], ['by_link', 'human', l.link, l.human], ['by_link', 'machine', l.link, l.machine]);
  }

  rows.push(['series', 'truncated', null, series.truncated]);
  for (const point of series.points) {
    rows.push(['series', 'granularity', point.at, point.granularity]);
    for (const [metric, value] of Object.entries(point.values)) rows.push(['series', metric, point.at, value]);
  }

  // An A/B test: its settings and the rest as fields, then each variant's results keyed by its number.
  if (abTest) {
    const { variants, results, ...test } = abTest;
    fields('ab_test', test);
    for (const { variant, rates, ...counts } of results ?? []) {
      for (const [metric, value] of Object.entries(counts)) rows.push(['ab_test.variant', metric, variant, value]);
      for (const [metric, value] of Object.entries(rates)) rows.push(['ab_test.variant', `rates.${metric}`, variant, value]);
    }
    for (const v of variants) rows.push(['ab_test.variant', 'template_id', v.variant, v.template_id], ['ab_test.variant', 'subject', v.variant, v.subject]);
  }

  const groups = [
    ['channel', breakdowns.channel], ['variant', breakdowns.variant], ['locale', breakdowns.locale],
    ...(breakdowns.attribute ? [[`attribute.${breakdowns.attribute.name}`, breakdowns.attribute.rows] as const] : []),
  ] as const;
  for (const [name, list] of groups) {
    for (const { key, rates, ...counts } of list) {
      for (const [metric, value] of Object.entries(counts)) rows.push([`breakdown.${name}`, metric, key, value]);
      for (const [metric, value] of Object.entries(rates)) rows.push([`breakdown.${name}`, `rates.${metric}`, key, value]);
    }
  }
  return rows;
}
