import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageQuery, paginate, toPage } from './pagination.js';

describe('cursors', () => {
  it('encodes the last id as unpadded base64 of "id:N"', () => {
    // base64("id:42") = "aWQ6NDI=", base64("id:1") = "aWQ6MQ=="
    expect(encodeCursor(42)).toBe('aWQ6NDI');
    expect(encodeCursor(1)).toBe('aWQ6MQ');
  });

  it('decodes what it encodes, padded or not', () => {
    expect(decodeCursor('aWQ6NDI')).toBe(42);
    expect(decodeCursor('aWQ6NDI=')).toBe(42);
    expect(decodeCursor('aWQ6MQ')).toBe(1);
    for (const id of [1, 7, 123456, 999_999_999_999_999]) expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('refuses anything else', () => {
    for (const cursor of ['', 'garbage', '!!!', 'aWQ6', btoa('id:'), btoa('id:-1'), btoa('id:1.5'), btoa('id:abc'), btoa('x:1'), btoa('id:1 '), btoa('id:1234567890123456')]) {
      expect(decodeCursor(cursor), cursor).toBeUndefined();
    }
  });
});

describe('paginate', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: (i + 1) * 10 }));

  it('gives a cursor only when a row beyond the page was fetched', () => {
    expect(paginate(rows(4), 3)).toEqual({ data: [{ id: 10 }, { id: 20 }, { id: 30 }], next_cursor: encodeCursor(30) });
    expect(paginate(rows(3), 3)).toEqual({ data: [{ id: 10 }, { id: 20 }, { id: 30 }], next_cursor: null });
    expect(paginate(rows(1), 3)).toEqual({ data: [{ id: 10 }], next_cursor: null });
    expect(paginate([], 3)).toEqual({ data: [], next_cursor: null });
  });
});

describe('pageQuery and toPage', () => {
  it('defaults to 50 and reads limit from the query string', () => {
    expect(pageQuery.parse({})).toEqual({ limit: 50 });
    expect(pageQuery.parse({ limit: '3' })).toEqual({ limit: 3 });
    expect(pageQuery.parse({ limit: '500' })).toEqual({ limit: 500 });
  });

  it('refuses limits outside 1..500 and non-integers', () => {
    for (const limit of ['0', '-1', '501', '1.5', 'abc']) expect(pageQuery.safeParse({ limit }).success, limit).toBe(false);
  });

  it('refuses a cursor it did not make', () => {
    expect(pageQuery.safeParse({ cursor: 'garbage' }).success).toBe(false);
    expect(pageQuery.safeParse({ cursor: encodeCursor(9) }).success).toBe(true);
  });

  it('turns the query into a keyset page', () => {
    expect(toPage({ limit: 3, cursor: encodeCursor(30) })).toEqual({ limit: 3, after: 30 });
    expect(toPage({ limit: 3 })).toEqual({ limit: 3, after: undefined });
  });
});
