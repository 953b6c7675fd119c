// Marketing-pressure caps hold across campaigns launched at the same moment, with concurrent senders.
// CI size here; `npm run bench:caps` runs the same scenario with 10,000 contacts on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { capsProblems, runCapsScenario, CAP_RULE } from '../support/caps-scenario.js';

// On PostgreSQL the senders really run in parallel on separate connections; PGlite has one connection, so there
// they interleave statement by statement. Small batches give many claims, so the senders meet often.
const CONTACTS = Number(process.env.PRESSURE_CONTACTS ?? 1_000);
const CAMPAIGNS = 4;

describe(`${CAMPAIGNS} SMS campaigns at once to the same ${CONTACTS} contacts, cap 2 per calendar month`, () => {
  it('every contact gets exactly 2, and the ledger, the transport and the counts agree', async () => {
    const f = await runCapsScenario({ contacts: CONTACTS, campaigns: CAMPAIGNS, extraSenders: 2, batchSize: 50 });
    // Exactly 2 each: every one of the CONTACTS phone numbers, 2 times.
    expect(f.perContact).toEqual({ 2: CONTACTS });
    expect(f.recipients).toBe(CONTACTS);
    expect(f.handedOver).toBe(2 * CONTACTS);
    expect(f.ledgerRows).toBe(2 * CONTACTS);
    // Of the 4 × CONTACTS messages, 2 × CONTACTS went and the other 2 × CONTACTS were held back by the cap.
    expect(f.campaigns.map((c) => c.status)).toEqual(Array(CAMPAIGNS).fill('sent'));
    expect(f.campaigns.reduce((n, c) => n + c.sent, 0)).toBe(2 * CONTACTS);
    expect(f.campaigns.reduce((n, c) => n + c.capped, 0)).toBe((CAMPAIGNS - 2) * CONTACTS);
    for (const c of f.campaigns) {
      expect(c.sent + c.capped).toBe(CONTACTS);
      expect(c.cappedBy).toEqual(c.capped ? { [CAP_RULE]: c.capped } : {});
    }
    expect(capsProblems(f)).toEqual([]);
  }, 300_000);
});
