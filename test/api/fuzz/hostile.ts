// The values that have broken this API before, as fast-check arbitraries: text PostgreSQL refuses, numbers at the
// edges, dates out of range, prototype names, deep nesting, very long text and plain wrong types.
import fc from 'fast-check';

/** Text the database cannot store, or that JavaScript reads oddly; each mixed into ordinary text at a random place. */
export const poison = ['\ud800', '\udfff', '\udbff', '\u0000', '\ud83d', '\ude00'];

const words = [
  'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1e3', ' 1', '1_000', 'null', 'undefined', 'true', '[]', '{}',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__',
  '', ' ', '\t\n', 'é', '🚲', '\u202e', '\ufeff', '%00', '../../etc/passwd', "'; drop table contacts; --", '{{#each @root}}{{/each}}',
  '<script>alert(1)</script>', '\\', '"', 'STOP', 'fr', 'en-CA', 'Europe/Paris', 'a@example.fr', '+33612345678',
];

/** Instants PostgreSQL or JavaScript cannot hold, or that are not real dates. */
export const badDates = [
  '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:01Z', '+010000-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '2023-02-29T12:00:00Z', '2024-13-01T00:00:00Z',
  '2024-01-01T24:00:00Z', '2024-01-01T23:59:60Z', '2024-01-01', '2024', '2024-01-01T00:00:00', '2024-01-01T00:00:00+25:00', '1e400', '0',
];

const long = fc.constantFrom(256, 1_001, 65_536, 200_001).chain((n) =>
  fc.constantFrom('x', 'é', '🚲', '\u0000', '\ud800').map((c) => c.repeat(Math.ceil(n / c.length))));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...poison), fc.string({ maxLength: 8 })).map(([a, p, b]) => a + p + b) },
  { weight: 3, arbitrary: fc.constantFrom(...words) },
  { weight: 2, arbitrary: fc.constantFrom(...badDates) },
  { weight: 1, arbitrary: long },
  // Any code point, lone surrogates included.
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, -0, 0, 0.5, 1.5, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 63, 1e21, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Keys that name Object.prototype's members, or cannot be stored. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' '),
  fc.tuple(fc.string({ maxLength: 4 }), fc.constantFrom(...poison)).map(([a, p]) => a + p),
);

/** An object that holds `key` as its own property, even `__proto__` (an object literal would set the prototype). */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Objects and arrays nested `depth` levels, alternately. */
export function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export const deep: fc.Arbitrary<unknown> = fc.constantFrom(33, 40, 200, 2_000).map((d) => nested(d));

/** A value of no particular shape: any JSON, or an object with prototype keys. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, false, [], {}, [null], ''),
  fc.tuple(hostileKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => withKey({}, k, v)),
);

/** What may stand where the schema wants any value. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 3, arbitrary: wrongType },
  { weight: 1, arbitrary: deep },
);

/** Whole bodies that are not JSON at all, or JSON at its limits. */
export const hostileRawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '{"a":', "{'a':1}", '{"a":1,}', 'NaN', '-0', '1e999', 'null', '[]', '"\\ud800"', '{"a":"\\u0000"}', '\u0000', '\ufeff{}'),
  fc.constantFrom(1_000, 100_000).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constantFrom(1_000, 100_000).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A path segment: ids that do not exist or are not ids, encoded or not. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '-0', '1.5', 'abc', 'NaN', 'Infinity', '1e400', '9007199254740993', '99999999999999999999', '0x10', '+1', '%00', '%ED%A0%80', '%FF',
    'constructor', '__proto__', '%2F..%2F', '%20', 'x'.repeat(2_000)),
  hostileString.map((s) => encodeURIComponent(s.replace(/\p{Surrogate}/gu, '\ufffd'))),
);
