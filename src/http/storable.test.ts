import { describe, expect, it } from 'vitest';
import { MAX_NESTING, NUL_MESSAGE, SURROGATE_MESSAGE, unstorable, unstorableFields, unstorableText } from './storable.js';

describe('unstorableText', () => {
  it('refuses NUL and lone surrogates, high or low, anywhere in the text', () => {
    for (const text of ['\u0000', 'a\u0000b']) expect(unstorableText(text)).toBe(NUL_MESSAGE);
    for (const text of ['\ud800', 'a\udbff', '\udc00a', '\udfff', 'x\ud83dy', '\ude00\ud83d', '🚲\ud800']) expect(unstorableText(text), JSON.stringify(text)).toBe(SURROGATE_MESSAGE);
  });

  it('accepts well-formed text, emoji (surrogate pairs) included', () => {
    for (const text of ['', 'Zoé', '🚲', '\ud83d\ude00', '\uffff', '\ufffd', 'a\u0001b', '\u{10ffff}']) expect(unstorableText(text), JSON.stringify(text)).toBeUndefined();
  });
});

describe('unstorable', () => {
  it('finds NUL characters and lone surrogates in values and keys, wherever they are', () => {
    expect(unstorable({ a: 'ok', b: ['x', 'y\u0000'] })).toEqual({ path: ['b', '1'], message: NUL_MESSAGE });
    expect(unstorable({ p: { 'k\u0000': 1 } })).toEqual({ path: ['p', 'k\u0000'], message: NUL_MESSAGE });
    expect(unstorable({ p: { 'k\ud800': 1 } })).toEqual({ path: ['p', 'k\ud800'], message: SURROGATE_MESSAGE });
    expect(unstorable({ a: [{ b: 'fine' }, { c: 'x\udc00' }] })).toEqual({ path: ['a', '1', 'c'], message: SURROGATE_MESSAGE });
    expect(unstorable('\u0000')?.path).toEqual([]);
    expect(unstorable({ a: 'fine', n: 1, b: true, z: null, l: ['é', '🚲'] })).toBeUndefined();
  });

  it('names the first problem in document order', () => {
    expect(unstorable({ a: '\u0000', 'k\u0000': 1, c: '\ud800' })?.path).toEqual(['a']);
    expect(unstorable({ a: { b: 'x' }, 'k\ud800': 1 })?.path).toEqual(['k\ud800']);
  });

  it('refuses nesting beyond the limit and accepts it up to the limit', () => {
    const nest = (depth: number) => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = { a: v };
      return v;
    };
    expect(unstorable(nest(MAX_NESTING))).toBeUndefined();
    expect(unstorable(nest(MAX_NESTING + 1))).toEqual({ path: Array(MAX_NESTING).fill('a'), message: `is nested more than ${MAX_NESTING} levels deep` });
    expect(unstorable(nest(100_000))?.message).toBe(`is nested more than ${MAX_NESTING} levels deep`);
  });
});

describe('unstorableFields', () => {
  it('names the field as a dotted path, or the body', () => {
    expect(unstorableFields({ from: '+33', text: 'STOP\ud800' })).toEqual([{ field: 'text', message: SURROGATE_MESSAGE }]);
    expect(unstorableFields('\u0000')).toEqual([{ field: 'body', message: NUL_MESSAGE }]);
    expect(unstorableFields({ from: '+33', text: 'STOP' })).toEqual([]);
  });
});
