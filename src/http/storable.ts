// What passes a schema but PostgreSQL cannot store. One check for every way text comes in: the validation hook runs
// it over each validated JSON body, query and path; the webhooks, the preference center's form and the CSV import
// call it on what they read themselves.

export const MAX_NESTING = 32;

export const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';
export const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff)';

// With the u flag a well-formed pair is one code point, so this matches only a surrogate standing alone.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why PostgreSQL would refuse this text, or undefined when it can store it. NUL is refused by text columns; a lone
 * surrogate is refused by jsonb (written as a \ud800 escape) and silently replaced by U+FFFD in text columns.
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return undefined;
}

/**
 * The first place in a parsed value that cannot be stored: text (values and keys) that unstorableText refuses, or
 * free-form JSON nested deeper than MAX_NESTING (which overflows the stack on the way to the database).
 */
export function unstorable(value: unknown): { path: PropertyKey[]; message: string } | undefined {
  const stack: Array<[unknown, PropertyKey[]]> = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    const key = path.at(-1);
    const badKey = typeof key === 'string' ? unstorableText(key) : undefined;
    if (badKey) return { path, message: badKey };
    if (typeof v === 'string') {
      const message = unstorableText(v);
      if (message) return { path, message };
    } else if (v !== null && typeof v === 'object') {
      if (path.length >= MAX_NESTING) return { path, message: `is nested more than ${MAX_NESTING} levels deep` };
      // Pushed in reverse, so the first problem in document order is the one named.
      for (const [k, child] of Object.entries(v).reverse()) stack.push([child, [...path, k]]);
    }
  }
  return undefined;
}

/** Each field whose text cannot be stored, for inputs read outside the validation hook (webhooks, forms). */
export function unstorableFields(value: unknown): Array<{ field: string; message: string }> {
  const bad = unstorable(value);
  return bad ? [{ field: bad.path.length ? bad.path.join('.') : 'body', message: bad.message }] : [];
}
