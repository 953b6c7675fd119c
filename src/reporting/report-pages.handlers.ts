import { Hono, type Context } from 'hono';
import { requireApiKey } from '../access/index.js';
import type { Executor } from '../db/transaction.js';
import { changedBy, createRouter, type AppEnv } from '../http/app-env.js';
import { errorResponse } from '../http/errors.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { LANGS, type Lang } from '../i18n/index.js';
import { brandOf } from '../pages/index.js';
import { campaignReport } from './campaign-report.service.js';
import { shareReportRoute } from './report-pages.routes.js';
import { InvalidReportLinkPage, ReportPage } from './report.page.js';
import { openShareLink, shareCampaignReport } from './share.service.js';

/** Never cached, indexed or framed; the token-bearing URL never leaks as a referrer. No script, no outside resource. */
export const REPORT_HEADERS = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The page's language: `?lang=` when it is fr or en, then the share link's, then the first of fr and en in
 * Accept-Language by weight, then French.
 */
export function pageLang(query: string | undefined, shared: Lang | undefined, acceptLanguage: string | undefined): Lang {
  if (query && (LANGS as readonly string[]).includes(query)) return query as Lang;
  if (shared) return shared;
  const ranked = (acceptLanguage ?? '').slice(0, 500).split(',').map((part, i) => {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([01](?:\.\d{1,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
    return { primary: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((r) => r.primary === 'fr' || r.primary === 'en')?.primary as Lang | undefined) ?? 'fr';
}

/** The report, and whether `?by=` named an attribute that is not declared (the page then says so, and shows the rest). */
async function reportFor(db: Executor, id: number, by: string | undefined, now: Date) {
  try {
    return { report: await campaignReport(db, id, { by, now }), unknownAttribute: undefined };
  } catch (err) {
    if (!(err instanceof InvalidInputError) || by === undefined) throw err;
    return { report: await campaignReport(db, id, { now }), unknownAttribute: by };
  }
}

async function renderReport(c: Context<AppEnv>, id: number, options: { shared?: { lang?: Lang; expiresAt: Date } }) {
  const { db, clock, config } = c.get('deps');
  const now = clock();
  const by = c.req.query('by') || undefined;
  const lang = pageLang(c.req.query('lang'), options.shared?.lang, c.req.header('accept-language'));
  const { report, unknownAttribute } = await reportFor(db, id, by, now);
  const page = ReportPage({ lang, brand: brandOf(config), report, now, sharedUntil: options.shared?.expiresAt, unknownAttribute });
  return c.html(page, 200, REPORT_HEADERS);
}

/**
 * `/reports/campaigns/{id}`: the report page for any API key (the same check as /v1); `/reports/shared/{token}`: the
 * same page from a share link, with no key. A bad, expired or foreign token, or a campaign gone, is an "invalid link"
 * page (404) that says nothing of which.
 */
export function reportPagesRouter() {
  const app = new Hono<AppEnv>();

  app.get('/reports/campaigns/:id', requireApiKey, async (c) => {
    const raw = c.req.param('id');
    if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) return errorResponse(c, 404, 'not_found', `Campaign ${raw.slice(0, 40)} was not found`);
    return renderReport(c, Number(raw), {});
  });

  app.get('/reports/shared/:token', async (c) => {
    const { db, clock, config } = c.get('deps');
    const claims = await openShareLink(db, c.req.param('token'), clock());
    const invalid = () => c.html(InvalidReportLinkPage({ lang: pageLang(c.req.query('lang'), claims?.lang, c.req.header('accept-language')), brand: brandOf(config) }), 404, REPORT_HEADERS);
    if (!claims) return invalid();
    try {
      return await renderReport(c, claims.campaignId, { shared: { lang: claims.lang, expiresAt: claims.expiresAt } });
    } catch (err) {
      if (err instanceof NotFoundError) return invalid();
      throw err;
    }
  });

  return app;
}

/** `POST /v1/campaigns/{id}/report/share`: counted as a read in app.ts, so analysts may share what they can read. */
export function reportShareRouter() {
  const app = createRouter();
  app.openapi(shareReportRoute, async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json');
    const link = await shareCampaignReport(db, c.req.valid('param').id, { expiresInDays: body.expires_in_days, lang: body.lang }, changedBy(c), config.publicUrl);
    return c.json(link, 201);
  });
  return app;
}
