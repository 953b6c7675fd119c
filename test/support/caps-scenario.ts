// Four SMS campaigns launched at the same moment to the same contacts, with extra concurrent senders, under a
// cap of 2 per calendar month: every contact must get exactly 2. Shared by test/api/pressure.test.ts (CI size)
// and bench/caps.bench.ts (10,000 contacts on PostgreSQL), which both judge the figures returned here.
import { sql } from 'kysely';
import { sendCampaign } from '../../src/campaigns/sender.js';
import type { SmsTransport } from '../../src/channels/types.js';
import { createTestApp } from './app.js';
import { createCampaign, createTemplate, createTopic, getCampaign } from './fixtures.js';
import { campaignRoutes } from '../../src/campaigns/index.js';
import { pressureSettingsRoutes } from '../../src/pressure/index.js';
import { expectStatus } from './api.js';

export const CAP = 2;
export const CAP_RULE = 'sms: 2 per calendar month';

export interface CapsScenario {
  contacts: number;
  campaigns: number;
  /** Senders started next to the one each launch starts. */
  extraSenders: number;
  batchSize: number;
}

export interface CapsFigures {
  contacts: number;
  /** Messages the transport was handed, all campaigns together. */
  handedOver: number;
  /** Distinct phone numbers the transport saw. */
  recipients: number;
  /** How many contacts received n messages, by n. */
  perContact: Record<number, number>;
  ledgerRows: number;
  campaigns: Array<{ id: number; status: string; sent: number; capped: number; cappedBy: Record<string, number>; otherSkips: Record<string, number> }>;
  seconds: { load: number; send: number };
}

export async function runCapsScenario(s: CapsScenario): Promise<CapsFigures> {
  const handed: string[] = [];
  const sms: SmsTransport = {
    name: 'recording',
    async send(m) {
      handed.push(m.to);
      return { providerMessageId: m.messageId };
    },
  };
  const t = await createTestApp({ SEND_BATCH_SIZE: String(s.batchSize) }, { transports: { sms } });
  try {
    const started = performance.now();
    expectStatus(await t.api(pressureSettingsRoutes.putQuietHoursRoute, { json: { rules: [] } }), 200);
    expectStatus(await t.api(pressureSettingsRoutes.putPressureRoute, { json: { rules: [{ channel: 'sms', max: CAP, period: 'calendar_month' }] } }), 200);
    const topic = await createTopic(t, 'promo');
    // Bulk-loaded with their SMS consent: the import has its own tests, and 10,000 API calls would be the benchmark.
    await sql`insert into contacts (external_id, phone, first_name)
      select 'P' || g, '+3361' || lpad(g::text, 7, '0'), 'C' || g from generate_series(1, ${s.contacts}) g`.execute(t.deps.db);
    await sql`insert into subscriptions (contact_id, channel, topic_id, status) select id, 'sms', ${topic.id}, 'subscribed' from contacts`.execute(t.deps.db);
    const template = await createTemplate(t, 'sms', { text: '{{first_name}} -20%' });
    const ids: number[] = [];
    for (let i = 0; i < s.campaigns; i++) ids.push(await createCampaign(t, { name: `Promo ${i}`, channel: 'sms', template_id: template, topic: 'promo' }));
    const loaded = performance.now();

    // All launches at once (each starts a sender), and more senders per campaign at the same time.
    const launches = await Promise.all(ids.map((id) => t.api(campaignRoutes.launchCampaignRoute, { param: { id } })));
    for (const res of launches) expectStatus(res, 202);
    await Promise.all(ids.flatMap((id) => Array.from({ length: s.extraSenders }, () => sendCampaign(t.deps, id))));
    await t.deps.background.idle();
    const sent = performance.now();

    const counts = new Map<string, number>();
    for (const to of handed) counts.set(to, (counts.get(to) ?? 0) + 1);
    const perContact: Record<number, number> = {};
    for (const n of counts.values()) perContact[n] = (perContact[n] ?? 0) + 1;
    const ledger = await sql<{ n: string }>`select count(*) as n from pressure_ledger`.execute(t.deps.db);
    const campaigns: CapsFigures['campaigns'] = [];
    for (const id of ids) {
      const c = await getCampaign(t, id);
      const { capped = 0, ...otherSkips } = c.counts?.skipped ?? {};
      campaigns.push({ id, status: c.status, sent: c.counts?.sent ?? 0, capped, cappedBy: c.counts?.capped_by ?? {}, otherSkips });
    }
    return {
      contacts: s.contacts, handedOver: handed.length, recipients: counts.size, perContact, ledgerRows: Number(ledger.rows[0].n), campaigns,
      seconds: { load: (loaded - started) / 1000, send: (sent - loaded) / 1000 },
    };
  } finally {
    await t.close();
  }
}

/**
 * What must hold, each as a sentence naming what went wrong; empty when the caps held. The expected values are
 * the scenario's own arithmetic: CAP messages for each contact, and the rest of each campaign capped.
 */
export function capsProblems(f: CapsFigures): string[] {
  const problems: string[] = [];
  const wrong = Object.entries(f.perContact).filter(([n]) => Number(n) !== CAP);
  for (const [n, contacts] of wrong) problems.push(`${contacts} contacts received ${n} messages instead of ${CAP}`);
  if (f.recipients !== f.contacts) problems.push(`${f.contacts - f.recipients} contacts received nothing`);
  if (f.handedOver !== CAP * f.contacts) problems.push(`the transport was handed ${f.handedOver} messages, not ${CAP * f.contacts}`);
  if (f.ledgerRows !== f.handedOver) problems.push(`the ledger counts ${f.ledgerRows} messages, the transport ${f.handedOver}`);
  let sentTotal = 0;
  for (const c of f.campaigns) {
    sentTotal += c.sent;
    if (c.status !== 'sent') problems.push(`campaign ${c.id} is ${c.status}, not sent`);
    if (c.sent + c.capped !== f.contacts) problems.push(`campaign ${c.id}: ${c.sent} sent + ${c.capped} capped ≠ ${f.contacts}`);
    if (Object.keys(c.otherSkips).length) problems.push(`campaign ${c.id} skipped for other reasons: ${JSON.stringify(c.otherSkips)}`);
    const expectedBy = c.capped ? { [CAP_RULE]: c.capped } : {};
    if (JSON.stringify(c.cappedBy) !== JSON.stringify(expectedBy)) problems.push(`campaign ${c.id} capped_by ${JSON.stringify(c.cappedBy)}`);
  }
  if (sentTotal !== f.handedOver) problems.push(`the campaigns count ${sentTotal} sent, the transport ${f.handedOver}`);
  return problems;
}
