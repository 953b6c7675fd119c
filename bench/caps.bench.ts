// `npm run bench:caps`: the pressure-cap proof at full size on PostgreSQL (DATABASE_URL). Four SMS campaigns are
// launched at once to 10,000 contacts, with two more senders per campaign, under a cap of 2 per calendar month;
// every contact must get exactly 2. Prints the figures; exits 1 if any contact got more or fewer.
// test/api/pressure.test.ts runs the same scenario at CI size.
import { capsProblems, runCapsScenario } from '../test/support/caps-scenario.js';
import { fmt, machine } from './stats.js';

if (!process.env.DATABASE_URL) {
  console.error('bench:caps runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres:x@127.0.0.1:5432/test)');
  process.exit(2);
}

const scenario = {
  contacts: Number(process.env.CONTACTS ?? 10_000),
  campaigns: 4,
  extraSenders: Number(process.env.EXTRA_SENDERS ?? 2),
  batchSize: Number(process.env.SEND_BATCH_SIZE ?? 200),
};

console.log(`${new Date().toISOString().slice(0, 10)} · ${machine()}`);
console.log(`${fmt(scenario.contacts)} contacts, ${scenario.campaigns} SMS campaigns launched at once, ${scenario.extraSenders} extra senders each, batches of ${scenario.batchSize}, cap 2 per calendar month`);
const f = await runCapsScenario(scenario);
const messages = f.campaigns.length * f.contacts;
console.log(`setup ${f.seconds.load.toFixed(1)} s (contacts bulk-loaded, campaigns created); launch and send ${f.seconds.send.toFixed(1)} s for ${fmt(messages)} messages (${fmt(messages / f.seconds.send)} decided/s, ${fmt(f.handedOver / f.seconds.send)} handed over/s)`);
console.log(`handed over ${fmt(f.handedOver)} to ${fmt(f.recipients)} numbers; ledger rows ${fmt(f.ledgerRows)}`);
console.log(`messages per contact: ${Object.entries(f.perContact).map(([n, c]) => `${n} → ${fmt(c)} contacts`).join(', ')}`);
for (const c of f.campaigns) console.log(`campaign ${c.id}: ${c.status}, sent ${fmt(c.sent)}, capped ${fmt(c.capped)}`);

const problems = capsProblems(f);
if (problems.length) {
  console.error(`FAILED:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('OK: every contact got exactly 2, and the ledger, the transport and the campaign counts agree');
process.exit(0);
