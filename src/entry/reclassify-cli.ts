// `npm run reclassify -- <campaign id>`: classifies a campaign's stored opens and clicks again with the current rules
// and settings, rebuilds its counts, and records it in the audit log (docs/TRACKING.md).
import { loadConfig } from '../config.js';
import { reclassifyAndAudit } from '../tracking/index.js';
import { openDatabase } from './node-runtime.js';

const id = Number(process.argv[2]);
if (!Number.isInteger(id) || id <= 0) {
  console.error('Usage: npm run reclassify -- <campaign id>');
  process.exit(2);
}
const config = loadConfig(process.env);
const db = await openDatabase(config);
try {
  const result = await reclassifyAndAudit(db, id, config.classifier, { actor: 'cli', at: () => new Date() });
  console.log(JSON.stringify(result));
} finally {
  await db.destroy();
}
