// The deliverability statuses at their boundaries, the period rules and the days a period touches.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { parseInstant } from './workspace-report.routes.js';
import { daysOf, healthStatus, resolvePeriod, THRESHOLDS } from './workspace-report.service.js';

describe('healthStatus against SES’s review thresholds', () => {
  it('bounces: ok below 2.5%, warning from 2.5%, at_risk from 5%', () => {
    const cases: Array<[number, number, string]> = [
      [0, 0, 'ok'], [0, 1000, 'ok'], [249, 10_000, 'ok'], [24_999, 1_000_000, 'ok'],
      [25, 1000, 'warning'], [250, 10_000, 'warning'], [499, 10_000, 'warning'], [1, 40, 'warning'],
      [5, 100, 'at_risk'], [500, 10_000, 'at_risk'], [1, 20, 'at_risk'], [12, 100, 'at_risk'], [3, 3, 'at_risk'],
    ];
    for (const [part, whole, status] of cases) expect([part, whole, healthStatus(part, whole, THRESHOLDS.bounce)]).toEqual([part, whole, status]);
  });

  it('complaints: ok below 0.05%, warning from 0.05%, at_risk from 0.1%', () => {
    const cases: Array<[number, number, string]> = [
      [0, 5000, 'ok'], [49, 100_000, 'ok'], [4, 10_000, 'ok'], [1, 2001, 'ok'],
      [5, 10_000, 'warning'], [1, 2000, 'warning'], [3, 6000, 'warning'], [99, 100_000, 'warning'],
      [1, 1000, 'at_risk'], [10, 10_000, 'at_risk'], [3, 3000, 'at_risk'], [1, 7, 'at_risk'],
    ];
    for (const [part, whole, status] of cases) expect([part, whole, healthStatus(part, whole, THRESHOLDS.complaint)]).toEqual([part, whole, status]);
  });

  it('publishes the thresholds it uses', () => {
    expect(THRESHOLDS).toEqual({ bounce: { warning: 0.025, at_risk: 0.05 }, complaint: { warning: 0.0005, at_risk: 0.001 } });
  });
});

describe('resolvePeriod', () => {
  const now = new Date('2026-11-20T12:00:00.000Z');
  const problem = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      return (err as InvalidInputError).problems;
    }
    throw new Error('no error');
  };

  it('defaults to the 30 days up to now, or to the 30 days before `to`', () => {
    expect(resolvePeriod({}, now)).toEqual({ from: new Date('2026-10-21T12:00:00.000Z'), to: now });
    expect(resolvePeriod({ to: new Date('2026-11-01T00:00:00Z') }, now)).toEqual({ from: new Date('2026-10-02T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') });
    expect(resolvePeriod({ from: new Date('2026-11-01T00:00:00Z') }, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: now });
  });

  it('takes up to 366 days, and names the field past that or when to is not after from', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    expect(resolvePeriod({ from, to: new Date('2026-01-02T00:00:00Z') }, now).to).toEqual(new Date('2026-01-02T00:00:00Z'));
    expect(problem(() => resolvePeriod({ from, to: new Date('2026-01-02T00:00:00.001Z') }, now))).toEqual([{ field: 'to', message: 'must be at most 366 days after from' }]);
    expect(problem(() => resolvePeriod({ from, to: from }, now))).toEqual([{ field: 'to', message: 'must be after from' }]);
    expect(problem(() => resolvePeriod({ from: now }, now))).toEqual([{ field: 'from', message: 'must be before now (to defaults to now)' }]);
    expect(problem(() => resolvePeriod({ from }, now))).toEqual([{ field: 'from', message: 'must be at most 366 days before now (to defaults to now)' }]);
  });
});

describe('parseInstant', () => {
  it('reads a date as its midnight UTC, and a date-time with an offset', () => {
    expect(parseInstant('2026-11-01')).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(parseInstant('2026-11-01T09:30:00+01:00')).toEqual(new Date('2026-11-01T08:30:00Z'));
    expect(parseInstant('2026-11-01T09:30:00Z')).toEqual(new Date('2026-11-01T09:30:00Z'));
  });

  it('refuses anything else', () => {
    for (const s of ['2026-02-30', '2026-13-01', '0099-01-01', '1899-12-31', '2026-11-01T09:30:00', '20261101', 'yesterday', '', '2026-11-1']) {
      expect([s, parseInstant(s)]).toEqual([s, undefined]);
    }
  });
});

describe('daysOf', () => {
  it('lists every UTC day the period touches', () => {
    expect(daysOf({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') })).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(daysOf({ from: new Date('2026-11-01T23:00:00Z'), to: new Date('2026-11-03T00:00:01Z') })).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });
});
