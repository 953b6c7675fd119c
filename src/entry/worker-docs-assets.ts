// The API reference's files for the Worker, bundled into the script as modules (wrangler.toml [[rules]]): the
// Worker has no file system, and static assets would stop wrangler dev's cron route (workers-sdk #9882).
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import css from 'swagger-ui-dist/swagger-ui.css';
import favicon from 'swagger-ui-dist/favicon-32x32.png';
import type { DocsAssets, SwaggerUiFile } from '../http/docs.js';

const encoder = new TextEncoder();
const FILES: Record<SwaggerUiFile, () => Uint8Array<ArrayBuffer>> = {
  'swagger-ui-bundle.js': () => encoder.encode(bundle) as Uint8Array<ArrayBuffer>,
  'swagger-ui.css': () => encoder.encode(css) as Uint8Array<ArrayBuffer>,
  'favicon-32x32.png': () => new Uint8Array(favicon),
};

export const workerDocsAssets: DocsAssets = {
  async read(file) {
    return FILES[file]();
  },
};
