import { Hono, type Context } from 'hono';
import { requireApiKey } from '../access/index.js';
import { SENDABLE_CHANNELS } from '../channels/index.js';
import { InvalidInputError } from '../errors.js';
import { changedBy, createRouter, type AppEnv } from '../http/app-env.js';
import type { Lang } from '../i18n/index.js';
import { brandOf } from '../pages/index.js';
import { pageLang, REPORT_HEADERS } from './report-pages.handlers.js';
import { InvalidReportLinkPage } from './report.page.js';
import { openWorkspaceShareLink, shareWorkspaceReport } from './share.service.js';
import { shareWorkspaceReportRoute } from './workspace-pages.routes.js';
import { parseInstant } from './workspace-report.routes.js';
import { resolvePeriod, workspaceReport, type WorkspaceReportOptions } from './workspace-report.service.js';
import { WorkspaceReportPage, type QueryProblem } from './workspace.page.js';

type Asked = Pick<WorkspaceReportOptions, 'from' | 'to' | 'channel'>;

/**
 * The period and channel a page's query asks for, and what in it the page cannot use. As the campaign page does with
 * an unknown `?by=`, a bad query is said on the page rather than answered with an error: a date it cannot read or a
 * period the report refuses gives the default period (30 days up to now), a channel that cannot send every channel.
 */
function readPageQuery(query: (name: string) => string | undefined, now: Date): { asked: Asked; problems: QueryProblem[] } {
  const problems: QueryProblem[] = [];
  const instant = (field: 'from' | 'to') => {
    const value = query(field) || undefined;
    const at = value === undefined ? undefined : parseInstant(value);
    if (value !== undefined && !at) problems.push({ kind: 'date', field, value });
    return at;
  };
  let from = instant('from');
  let to = instant('to');
  if (problems.length) {
    from = to = undefined;
  } else {
    try {
      resolvePeriod({ from, to }, now);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      problems.push({ kind: 'period' });
      from = to = undefined;
    }
  }
  const asked = query('channel') || undefined;
  const channel = SENDABLE_CHANNELS.find((c) => c === asked);
  if (asked !== undefined && !channel) problems.push({ kind: 'channel', value: asked });
  return { asked: { from, to, channel }, problems };
}

async function renderPage(c: Context<AppEnv>, asked: Asked, options: { problems?: QueryProblem[]; shared?: { lang?: Lang; expiresAt: Date } }) {
  const { db, clock, config } = c.get('deps');
  const now = clock();
  const lang = pageLang(c.req.query('lang'), options.shared?.lang, c.req.header('accept-language'));
  const report = await workspaceReport(db, { ...asked, now, statementTimeoutMs: config.statementTimeoutMs.segment });
  const page = WorkspaceReportPage({ lang, brand: brandOf(config), report, now, sharedUntil: options.shared?.expiresAt, problems: options.problems });
  return c.html(page, 200, REPORT_HEADERS);
}

/**
 * `/reports/workspace`: the workspace report page for any API key (the same check as /v1);
 * `/reports/workspace/shared/{token}`: the same page from a share link, with no key, over the period and channel the
 * token carries (the query's are not read). A bad or expired token is the "invalid link" page (404).
 */
export function workspacePagesRouter() {
  const app = new Hono<AppEnv>();

  app.get('/reports/workspace', requireApiKey, async (c) => {
    const { asked, problems } = readPageQuery((name) => c.req.query(name), c.get('deps').clock());
    return renderPage(c, asked, { problems });
  });

  app.get('/reports/workspace/shared/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const claims = await openWorkspaceShareLink(db, c.req.param('token'), clock());
    const channel = SENDABLE_CHANNELS.find((ch) => ch === claims?.channel);
    if (!claims || (claims.channel !== undefined && !channel)) {
      const lang = pageLang(c.req.query('lang'), claims?.lang, c.req.header('accept-language'));
      return c.html(InvalidReportLinkPage({ lang, brand: brandOf(config) }), 404, REPORT_HEADERS);
    }
    return renderPage(c, { from: claims.from, to: claims.to, channel }, { shared: { lang: claims.lang, expiresAt: claims.expiresAt } });
  });

  return app;
}

/** `POST /v1/reports/workspace/share`: counted as a read in app.ts, so analysts may share what they can read. */
export function workspaceShareRouter() {
  const app = createRouter();
  app.openapi(shareWorkspaceReportRoute, async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json') ?? {};
    const link = await shareWorkspaceReport(db, {
      // Validated by the route: both parse.
      from: body.from === undefined ? undefined : parseInstant(body.from), to: body.to === undefined ? undefined : parseInstant(body.to),
      channel: body.channel, expiresInDays: body.expires_in_days, lang: body.lang,
    }, changedBy(c), config.publicUrl);
    return c.json(link, 201);
  });
  return app;
}
