import { describe, expect, it } from 'vitest';
import { coerceAttribute, coerceAttributes, parseDate, parseLocaleNumber, type AttributeDefinition } from './attribute-values.js';

describe('parseLocaleNumber', () => {
  it.each([
    ['1 254,50', 1254.5],
    ['1\u00a0254,50', 1254.5],
    ['1\u202f254,50', 1254.5],
    ['1,254.50', 1254.5],
    ['1.254,50', 1254.5],
    ['1254.5', 1254.5],
    ['1254,5', 1254.5],
    ['-3,25', -3.25],
    ['+7', 7],
    ['0', 0],
    ['12 €', 12],
    ['€12,50', 12.5],
    ['1 000 000', 1000000],
    ["1'000.5", 1000.5],
    ['1,234,567.89', 1234567.89],
    ['1.234.567,89', 1234567.89],
    ['  42  ', 42],
  ])('%j → %d', (raw, want) => {
    expect(parseLocaleNumber(raw)).toBe(want);
  });

  it.each(['', 'abc', '1,2,3', '1.2.3', '12abc', '--1', '1e5', 'NaN', 'Infinity', '0x10', ',', '.'])('%j is not a number', (raw) => {
    expect(parseLocaleNumber(raw)).toBeUndefined();
  });
});

describe('parseDate', () => {
  it.each([
    ['1990-05-17', '1990-05-17'],
    ['17/05/1990', '1990-05-17'],
    ['7/5/1990', '1990-05-07'],
    ['17.05.1990', '1990-05-17'],
    ['29/02/2024', '2024-02-29'],
    ['2024-02-29', '2024-02-29'],
    ['1990-05-17T10:00:00Z', '1990-05-17'],
    [' 31/12/1999 ', '1999-12-31'],
  ])('%j → %j', (raw, want) => {
    expect(parseDate(raw)).toBe(want);
  });

  it.each(['31/02/1990', '29/02/2023', '1990-13-01', '1990-00-10', '00/05/1990', '32/01/2000', '1990-5-17', '05/17/1990', 'yesterday', '', '17/05/90'])(
    '%j is not a date',
    (raw) => {
      expect(parseDate(raw)).toBeUndefined();
    },
  );
});

describe('coerceAttribute', () => {
  const bool: AttributeDefinition = { name: 'vip', type: 'boolean' };
  const num: AttributeDefinition = { name: 'revenue', type: 'number' };
  const date: AttributeDefinition = { name: 'birthday', type: 'date' };
  const tier: AttributeDefinition = { name: 'tier', type: 'enum', values: ['Gold', 'Silver'] };
  const text: AttributeDefinition = { name: 'note', type: 'text' };

  it('reads yes/no words in English and French, any case', () => {
    for (const word of ['true', 'TRUE', 'True', 'yes', 'YES', 'Yes', 'oui', 'OUI', 'Oui', '1', 'vrai', ' y ', 'O']) {
      expect(coerceAttribute(bool, word), word).toEqual({ value: true });
    }
    for (const word of ['false', 'FALSE', 'no', 'NO', 'No', 'non', 'NON', 'Non', '0', 'faux', 'n']) {
      expect(coerceAttribute(bool, word), word).toEqual({ value: false });
    }
    expect(coerceAttribute(bool, true)).toEqual({ value: true });
    expect(coerceAttribute(bool, 0)).toEqual({ value: false });
    expect(coerceAttribute(bool, 'peut-être')).toEqual({ error: '"peut-être" is not a yes/no value (true/false, yes/no, oui/non, 1/0)' });
    expect(coerceAttribute(bool, 2)).toEqual({ error: '"2" is not a yes/no value (true/false, yes/no, oui/non, 1/0)' });
  });

  it('reads numbers from JSON numbers and localised text', () => {
    expect(coerceAttribute(num, 42)).toEqual({ value: 42 });
    expect(coerceAttribute(num, '1 254,50')).toEqual({ value: 1254.5 });
    expect(coerceAttribute(num, '1,254.50')).toEqual({ value: 1254.5 });
    expect(coerceAttribute(num, 'abc')).toEqual({ error: '"abc" is not a number' });
    expect(coerceAttribute(num, true)).toEqual({ error: '"true" is not a number' });
  });

  it('stores dates as YYYY-MM-DD and only from text', () => {
    expect(coerceAttribute(date, '17/05/1990')).toEqual({ value: '1990-05-17' });
    expect(coerceAttribute(date, '31/02/1990')).toEqual({ error: '"31/02/1990" is not a date (YYYY-MM-DD or DD/MM/YYYY)' });
    expect(coerceAttribute(date, 19900517)).toEqual({ error: '"19900517" is not a date (YYYY-MM-DD or DD/MM/YYYY)' });
  });

  it('matches enum values whatever the case and stores the declared spelling', () => {
    expect(coerceAttribute(tier, 'gold')).toEqual({ value: 'Gold' });
    expect(coerceAttribute(tier, ' SILVER ')).toEqual({ value: 'Silver' });
    expect(coerceAttribute(tier, 'Bronze')).toEqual({ error: '"Bronze" is not one of Gold, Silver' });
  });

  it('keeps text as text and turns empties into null', () => {
    expect(coerceAttribute(text, 12)).toEqual({ value: '12' });
    expect(coerceAttribute(text, { a: 1 })).toEqual({ error: 'must be text' });
    for (const def of [bool, num, date, tier, text]) {
      expect(coerceAttribute(def, '')).toEqual({ value: null });
      expect(coerceAttribute(def, null)).toEqual({ value: null });
      expect(coerceAttribute(def, undefined)).toEqual({ value: null });
    }
  });
});

describe('coerceAttributes', () => {
  it('names each undeclared or invalid attribute and keeps the valid ones', () => {
    const defs = new Map<string, AttributeDefinition>([
      ['vip', { name: 'vip', type: 'boolean' }],
      ['revenue', { name: 'revenue', type: 'number' }],
    ]);
    expect(coerceAttributes(defs, { vip: 'oui', revenue: 'lots', shoe: 42 })).toEqual({
      values: { vip: true },
      problems: [
        { field: 'attributes.revenue', message: '"lots" is not a number' },
        { field: 'attributes.shoe', message: 'attribute "shoe" is not declared (PUT /v1/attributes/shoe)' },
      ],
    });
  });
});
