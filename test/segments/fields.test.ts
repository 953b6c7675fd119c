// Field conditions and groups: every operator on contact fields and on each attribute type, with the exact
// members expected on the hand-made dataset (see dataset.ts for the table the comments refer to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, type Dataset } from './dataset.js';

let d: Dataset;
beforeAll(async () => {
  d = await buildDataset({ engagement: false });
});
afterAll(() => d.t.close());

const f = (field: string, op: string, value?: unknown) => (value === undefined ? { field, op } : { field, op, value });

describe('contact fields', () => {
  it('email: eq, neq (missing values included), exists, not_exists, contains, starts_with', async () => {
    expect(await d.members(f('email', 'eq', 'b@example.com'))).toEqual(['B']);
    // C and L have no email: "not b@example.com" keeps them (deliberate, see conditions.ts).
    expect(await d.members(f('email', 'neq', 'b@example.com'))).toEqual(['A', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('email', 'exists'))).toEqual(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']);
    expect(await d.members(f('email', 'not_exists'))).toEqual(['C', 'L']);
    // Case-insensitive: only B's address is at example.com.
    expect(await d.members(f('email', 'contains', 'EXAMPLE.COM'))).toEqual(['B']);
    expect(await d.members(f('email', 'starts_with', 'A@'))).toEqual(['A']);
    expect(await d.members(f('email', 'in', ['a@example.fr', 'k@example.fr', 'nobody@example.fr']))).toEqual(['A', 'K']);
    // not_in keeps the contacts without an email (C, L).
    expect(await d.members(f('email', 'not_in', ['a@example.fr', 'b@example.com', 'd@example.fr', 'e@example.fr', 'f@example.fr', 'g@example.fr']))).toEqual(['C', 'H', 'I', 'J', 'K', 'L']);
  });

  it('locale: eq, starts_with, in, not_in', async () => {
    expect(await d.members(f('locale', 'eq', 'fr'))).toEqual(['A', 'C', 'F', 'G', 'I', 'J', 'L']);
    // fr-CA (D) also starts with "fr"; the match ignores case.
    expect(await d.members(f('locale', 'starts_with', 'FR'))).toEqual(['A', 'C', 'D', 'F', 'G', 'I', 'J', 'L']);
    expect(await d.members(f('locale', 'in', ['en', 'en-GB']))).toEqual(['B', 'E', 'H', 'K']);
    expect(await d.members(f('locale', 'not_in', ['fr']))).toEqual(['B', 'D', 'E', 'H', 'K']);
    expect(await d.members(f('locale', 'neq', 'en'))).toEqual(['A', 'C', 'D', 'F', 'G', 'H', 'I', 'J', 'L']);
  });

  it('created_at: within_last_days, not_within_last_days, lt/lte/gt/gte/between, exists', async () => {
    // Created 5 (A), 29 (B), 31 (C), 100 (D), 400 (E) and 1000 days ago (F–L).
    expect(await d.members(f('created_at', 'within_last_days', 30))).toEqual(['A', 'B']);
    expect(await d.members(f('created_at', 'not_within_last_days', 30))).toEqual(['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('created_at', 'within_last_days', 0))).toEqual([]);
    // 2026-12-01 falls between B (Nov 29) and A (Dec 23).
    expect(await d.members(f('created_at', 'gt', '2026-12-01'))).toEqual(['A']);
    expect(await d.members(f('created_at', 'gte', '2026-11-29T12:00:00Z'))).toEqual(['A', 'B']);
    expect(await d.members(f('created_at', 'lt', '2026-11-29T12:00:00Z'))).toEqual(['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('created_at', 'lte', '2026-11-27T12:00:00Z'))).toEqual(['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    // D was created on 2026-09-19, E on 2025-11-23: a window around both.
    expect(await d.members(f('created_at', 'between', ['2025-01-01', '2026-10-01']))).toEqual(['D', 'E']);
    expect(await d.members(f('created_at', 'exists'))).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('created_at', 'not_exists'))).toEqual([]);
  });

  it('address.city: eq, neq, contains, exists, not_exists', async () => {
    // Cities: A Paris, B Lyon, D Paris, E Marseille, G Lyon, L PARIS; the others have none.
    expect(await d.members(f('address.city', 'eq', 'Paris'))).toEqual(['A', 'D']);
    expect(await d.members(f('address.city', 'neq', 'Paris'))).toEqual(['B', 'C', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('address.city', 'contains', 'par'))).toEqual(['A', 'D', 'L']);
    expect(await d.members(f('address.city', 'exists'))).toEqual(['A', 'B', 'D', 'E', 'G', 'L']);
    expect(await d.members(f('address.city', 'not_exists'))).toEqual(['C', 'F', 'H', 'I', 'J', 'K']);
    expect(await d.members(f('address.line1', 'not_exists'))).toEqual(['C', 'D', 'F', 'H', 'I', 'J', 'K']);
  });
});

describe('text attribute (ambassador)', () => {
  // A Maryse, B maryse dupont, C Jean, E 50%_off, F 500_off, G Maryse, I MARYSE, J Maryse, K Boffo; D, H, L none.
  it('eq is exact, neq and not_in keep the contacts without a value', async () => {
    expect(await d.members(f('attributes.ambassador', 'eq', 'Maryse'))).toEqual(['A', 'G', 'J']);
    expect(await d.members(f('attributes.ambassador', 'neq', 'Maryse'))).toEqual(['B', 'C', 'D', 'E', 'F', 'H', 'I', 'K', 'L']);
    expect(await d.members(f('attributes.ambassador', 'in', ['Jean', 'Boffo']))).toEqual(['C', 'K']);
    expect(await d.members(f('attributes.ambassador', 'not_in', ['Jean', 'Boffo']))).toEqual(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'L']);
    expect(await d.members(f('attributes.ambassador', 'exists'))).toEqual(['A', 'B', 'C', 'E', 'F', 'G', 'I', 'J', 'K']);
    expect(await d.members(f('attributes.ambassador', 'not_exists'))).toEqual(['D', 'H', 'L']);
  });

  it('contains and starts_with ignore case', async () => {
    expect(await d.members(f('attributes.ambassador', 'starts_with', 'mar'))).toEqual(['A', 'B', 'G', 'I', 'J']);
    expect(await d.members(f('attributes.ambassador', 'contains', 'DUPONT'))).toEqual(['B']);
  });

  it('% and _ in the value are literal characters, not wildcards', async () => {
    // As a LIKE pattern "50%" would also match F (500_off); literally only E starts with "50%".
    expect(await d.members(f('attributes.ambassador', 'starts_with', '50%'))).toEqual(['E']);
    // "_off" as a wildcard would also match K (Boffo: "B" + "off"); literally E and F contain "_off".
    expect(await d.members(f('attributes.ambassador', 'contains', '_off'))).toEqual(['E', 'F']);
    // "0%_" literally appears only in E; as wildcards it would match F (500_off) too.
    expect(await d.members(f('attributes.ambassador', 'contains', '0%_'))).toEqual(['E']);
    expect(await d.members(f('attributes.ambassador', 'contains', '%'))).toEqual(['E']);
    expect(await d.members(f('attributes.ambassador', 'contains', '\\'))).toEqual([]);
  });
});

describe('number attribute (annual_revenue)', () => {
  // A 1200, B 800, C 500, D 950, F 950, G 300, H 100, I 50, J 0, K 700; E and L none.
  it('comparisons', async () => {
    expect(await d.members(f('attributes.annual_revenue', 'eq', 800))).toEqual(['B']);
    expect(await d.members(f('attributes.annual_revenue', 'eq', 0))).toEqual(['J']);
    expect(await d.members(f('attributes.annual_revenue', 'neq', 800))).toEqual(['A', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('attributes.annual_revenue', 'lt', 500))).toEqual(['G', 'H', 'I', 'J']);
    expect(await d.members(f('attributes.annual_revenue', 'lte', 500))).toEqual(['C', 'G', 'H', 'I', 'J']);
    expect(await d.members(f('attributes.annual_revenue', 'gt', 800))).toEqual(['A', 'D', 'F']);
    expect(await d.members(f('attributes.annual_revenue', 'gte', 800))).toEqual(['A', 'B', 'D', 'F']);
    expect(await d.members(f('attributes.annual_revenue', 'gt', 949.5))).toEqual(['A', 'D', 'F']);
  });

  it('between is inclusive; in, not_in (missing included), exists, not_exists', async () => {
    expect(await d.members(f('attributes.annual_revenue', 'between', [500, 950]))).toEqual(['B', 'C', 'D', 'F', 'K']);
    expect(await d.members(f('attributes.annual_revenue', 'in', [0, 950]))).toEqual(['D', 'F', 'J']);
    expect(await d.members(f('attributes.annual_revenue', 'not_in', [0, 950]))).toEqual(['A', 'B', 'C', 'E', 'G', 'H', 'I', 'K', 'L']);
    expect(await d.members(f('attributes.annual_revenue', 'exists'))).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'H', 'I', 'J', 'K']);
    expect(await d.members(f('attributes.annual_revenue', 'not_exists'))).toEqual(['E', 'L']);
  });
});

describe('boolean attribute (host)', () => {
  // true: A, B, F, J; false: C, D, G, I; none: E, H, K, L.
  it('eq, neq, exists, not_exists', async () => {
    expect(await d.members(f('attributes.host', 'eq', true))).toEqual(['A', 'B', 'F', 'J']);
    expect(await d.members(f('attributes.host', 'eq', false))).toEqual(['C', 'D', 'G', 'I']);
    expect(await d.members(f('attributes.host', 'neq', true))).toEqual(['C', 'D', 'E', 'G', 'H', 'I', 'K', 'L']);
    expect(await d.members(f('attributes.host', 'exists'))).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'I', 'J']);
    expect(await d.members(f('attributes.host', 'not_exists'))).toEqual(['E', 'H', 'K', 'L']);
  });
});

describe('enum attribute (tier)', () => {
  // gold: A, E, J; silver: B, F, H; bronze: C, G, K; none: D, I, L.
  it('eq, neq, in, not_in, exists, not_exists', async () => {
    expect(await d.members(f('attributes.tier', 'eq', 'gold'))).toEqual(['A', 'E', 'J']);
    expect(await d.members(f('attributes.tier', 'neq', 'gold'))).toEqual(['B', 'C', 'D', 'F', 'G', 'H', 'I', 'K', 'L']);
    expect(await d.members(f('attributes.tier', 'in', ['silver', 'bronze']))).toEqual(['B', 'C', 'F', 'G', 'H', 'K']);
    expect(await d.members(f('attributes.tier', 'not_in', ['gold']))).toEqual(['B', 'C', 'D', 'F', 'G', 'H', 'I', 'K', 'L']);
    expect(await d.members(f('attributes.tier', 'exists'))).toEqual(['A', 'B', 'C', 'E', 'F', 'G', 'H', 'J', 'K']);
    expect(await d.members(f('attributes.tier', 'not_exists'))).toEqual(['D', 'I', 'L']);
  });
});

describe('date attribute (birthday)', () => {
  // A 1980-01-02, B 1975-12-30, C 1992-02-29, D 1985-06-15, F 2000-01-05, G 1970-03-01, H 1999-12-28, J 1988-01-04;
  // E, I, K, L none.
  it('eq, neq, lt, lte, gt, gte, between, exists, not_exists', async () => {
    expect(await d.members(f('attributes.birthday', 'eq', '1985-06-15'))).toEqual(['D']);
    // French dates are accepted as values too.
    expect(await d.members(f('attributes.birthday', 'eq', '15/06/1985'))).toEqual(['D']);
    expect(await d.members(f('attributes.birthday', 'neq', '1985-06-15'))).toEqual(['A', 'B', 'C', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(await d.members(f('attributes.birthday', 'lt', '1980-01-02'))).toEqual(['B', 'G']);
    expect(await d.members(f('attributes.birthday', 'lte', '1980-01-02'))).toEqual(['A', 'B', 'G']);
    expect(await d.members(f('attributes.birthday', 'gt', '1992-02-29'))).toEqual(['F', 'H']);
    expect(await d.members(f('attributes.birthday', 'gte', '1992-02-29'))).toEqual(['C', 'F', 'H']);
    expect(await d.members(f('attributes.birthday', 'between', ['1980-01-01', '1990-12-31']))).toEqual(['A', 'D', 'J']);
    expect(await d.members(f('attributes.birthday', 'exists'))).toEqual(['A', 'B', 'C', 'D', 'F', 'G', 'H', 'J']);
    expect(await d.members(f('attributes.birthday', 'not_exists'))).toEqual(['E', 'I', 'K', 'L']);
  });

  it('within_last_days and not_within_last_days', async () => {
    // 10000 days before 2026-12-28 is 1999-08-12: only H (1999-12-28) and F (2000-01-05) are more recent.
    expect(await d.members(f('attributes.birthday', 'within_last_days', 10000))).toEqual(['F', 'H']);
    // Contacts without a birthday are neither.
    expect(await d.members(f('attributes.birthday', 'not_within_last_days', 10000))).toEqual(['A', 'B', 'C', 'D', 'G', 'J']);
  });

  it('anniversary_within_next_days across the new year', async () => {
    // Now is 2026-12-28; the next 7 days run to 2027-01-04 inclusive: H (12-28, today), B (12-30), A (01-02),
    // J (01-04, the 7th day). F (01-05) is the 8th day: out.
    expect(await d.members(f('attributes.birthday', 'anniversary_within_next_days', 7))).toEqual(['A', 'B', 'H', 'J']);
    expect(await d.members(f('attributes.birthday', 'anniversary_within_next_days', 8))).toEqual(['A', 'B', 'F', 'H', 'J']);
    expect(await d.members(f('attributes.birthday', 'anniversary_within_next_days', 0))).toEqual(['H']);
  });

  it('anniversary_within_next_days: a Feb 29 birthday is celebrated on Mar 1 in a common year', async () => {
    // 62 days from 2026-12-28 is 2027-02-28: C (born Feb 29) is not yet due in 2027, a common year.
    expect(await d.members(f('attributes.birthday', 'anniversary_within_next_days', 62))).toEqual(['A', 'B', 'F', 'H', 'J']);
    // 63 days reaches 2027-03-01: G (Mar 1) and C (Feb 29 → Mar 1).
    expect(await d.members(f('attributes.birthday', 'anniversary_within_next_days', 63))).toEqual(['A', 'B', 'C', 'F', 'G', 'H', 'J']);
  });
});

describe('groups', () => {
  it('all: hosts followed by Maryse with more than 800 of annual revenue', async () => {
    // host: A B F J; ambassador = Maryse: A G J; revenue > 800: A D F. Only A is in all three.
    expect(await d.members({ all: [f('attributes.host', 'eq', true), f('attributes.ambassador', 'eq', 'Maryse'), f('attributes.annual_revenue', 'gt', 800)] })).toEqual(['A']);
  });

  it('any', async () => {
    // gold: A E J; host: A B F J.
    expect(await d.members({ any: [f('attributes.tier', 'eq', 'gold'), f('attributes.host', 'eq', true)] })).toEqual(['A', 'B', 'E', 'F', 'J']);
  });

  it('not over a condition whose value is missing keeps the contacts without a value', async () => {
    // revenue > 800 is A D F; E and L have no revenue: the condition is false for them, so "not" is true.
    expect(await d.members({ not: f('attributes.annual_revenue', 'gt', 800) })).toEqual(['B', 'C', 'E', 'G', 'H', 'I', 'J', 'K', 'L']);
    // host = true is A B F J; E H K L (no value) are in the negation.
    expect(await d.members({ not: f('attributes.host', 'eq', true) })).toEqual(['C', 'D', 'E', 'G', 'H', 'I', 'K', 'L']);
    // not(exists) is not_exists.
    expect(await d.members({ not: f('attributes.tier', 'exists') })).toEqual(['D', 'I', 'L']);
    expect(await d.members({ not: { not: f('attributes.host', 'eq', true) } })).toEqual(['A', 'B', 'F', 'J']);
  });

  it('nested groups', async () => {
    // gold or silver: A B E F H J. Minus (host or revenue < 100): host A B F J, revenue < 100 I J. Left: E, H.
    const rule = {
      all: [
        { any: [f('attributes.tier', 'eq', 'gold'), f('attributes.tier', 'eq', 'silver')] },
        { not: { any: [f('attributes.host', 'eq', true), f('attributes.annual_revenue', 'lt', 100)] } },
      ],
    };
    expect(await d.members(rule)).toEqual(['E', 'H']);
    // The same, one level deeper, with a locale condition: E is en, H en-GB, both start with "en".
    expect(await d.members({ all: [{ all: [rule] }, { any: [{ not: f('locale', 'starts_with', 'fr') }] }] })).toEqual(['E', 'H']);
  });
});
