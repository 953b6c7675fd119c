// The API reference at /docs: Swagger UI from the installed swagger-ui-dist package, never from a CDN, so the page
// works on a closed network. Each runtime says how to read the package's files (Deps.docsAssets).
import { Hono } from 'hono';
import { html } from 'hono/html';
import swaggerUiPackage from 'swagger-ui-dist/package.json' with { type: 'json' };
import type { AppEnv } from './app-env.js';

/** The only files of swagger-ui-dist ever served, with their content types. */
export const SWAGGER_UI_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

export const SWAGGER_UI_VERSION: string = swaggerUiPackage.version;

export function isSwaggerUiFile(name: string): name is SwaggerUiFile {
  return Object.hasOwn(SWAGGER_UI_FILES, name);
}

/** Reads one allow-listed file of swagger-ui-dist: from node_modules on Node, from the Worker's bundled modules. */
export interface DocsAssets {
  read(file: SwaggerUiFile): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | undefined>;
}

// The version is in the path, so the files can be cached for a year: an upgrade changes their address.
const ASSETS_PATH = `/docs/swagger-ui/${SWAGGER_UI_VERSION}`;

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Only this origin: no inline script or style (the page starts Swagger UI from /docs/init.js). Images may also be
 * data: URIs, which swagger-ui.css uses for its icons.
 */
export const DOCS_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null
});
`;

export function docsRouter() {
  const router = new Hono<AppEnv>();

  router.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('Cache-Control', 'no-cache');
    const title = `${c.get('deps').config.brandName} API reference`;
    return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"><noscript><p>The API reference needs JavaScript; the OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></noscript></div>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`);
  });

  router.get('/docs/init.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(INIT_SCRIPT);
  });

  router.get('/docs/swagger-ui/:version/:file', async (c) => {
    const file = c.req.param('file');
    if (c.req.param('version') !== SWAGGER_UI_VERSION || !isSwaggerUiFile(file)) return c.notFound();
    const body = await c.get('deps').docsAssets.read(file);
    if (!body) return c.notFound();
    c.header('Content-Type', SWAGGER_UI_FILES[file]);
    c.header('Cache-Control', IMMUTABLE);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(body);
  });
  return router;
}
