// The README tour's reader and matcher (test/readme/tour.ts). Running the tour itself needs a server: `npm run tour`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockCommands, checkAnswer, parseExpectation, parsePattern, tourBlocks, mismatch } from './tour.js';

const matches = (pattern: string, actual: unknown) => mismatch(parsePattern(pattern), actual);

describe('README tour expectations', () => {
  it('objects: written keys must match; other keys only with …', () => {
    expect(matches('{"id":…,"version":1,"warnings":[]}', { id: 5, version: 1, warnings: [] })).toBeUndefined();
    expect(matches('{"id":…,"version":1}', { id: 5, version: 1, warnings: [] })).toMatch(/unexpected "warnings"/);
    expect(matches('{"status":"sent",…}', { id: 1, status: 'sent' })).toBeUndefined();
    expect(matches('{"status":"sent",…}', { status: 'sending' })).toMatch(/^\$\.status: expected "sent"/);
    expect(matches('{"a":{"b":1,…},…}', { a: { c: 2 } })).toBe('$.a.b: missing');
    expect(matches('{}', {})).toBeUndefined();
    expect(matches('{}', { a: 1 })).toMatch(/unexpected/);
    expect(matches('{…}', { a: 1 })).toBeUndefined();
  });

  it('arrays: item by item, … for any number of items', () => {
    expect(matches('[…]', [])).toBeUndefined();
    expect(matches('[…]', [1, 2])).toBeUndefined();
    expect(matches('[{…},{…}]', [{ a: 1 }, { b: 2 }])).toBeUndefined();
    expect(matches('[{…},{…}]', [{ a: 1 }])).toMatch(/expected 2 items, got 1/);
    expect(matches('[{"x":1,…},…]', [{ x: 1, y: 2 }, 3, 4])).toBeUndefined();
    expect(matches('[…,3]', [1, 2, 3])).toBeUndefined();
    expect(matches('[…,3]', [1, 2])).toMatch(/do not match/);
    expect(matches('[]', [1])).toMatch(/expected 0 items/);
  });

  it('values and strings: … is anything, inside a string any text; spaces match no-break spaces', () => {
    expect(matches('{"a":…}', { a: null })).toBeUndefined();
    expect(matches('"rk_…"', 'rk_abc')).toBeUndefined();
    expect(matches('"rk_…"', 'sk_abc')).toBeDefined();
    expect(matches('"…1 254,50 €…"', '<p>votre chiffre : 1\u202f254,50\u00a0€</p>')).toBeUndefined();
    expect(matches('"…"', 'anything')).toBeUndefined();
    expect(matches('"…"', null)).toMatch(/expected a string/);
    expect(matches('"a…b…c"', 'abc')).toBeUndefined();
    expect(matches('"a…b…c"', 'acb')).toBeDefined();
    expect(matches('1', 1)).toBeUndefined();
    expect(matches('0', false)).toBeDefined();
  });

  it('reads an optional status before the answer, and refuses what it cannot read', () => {
    expect(parseExpectation('202')).toEqual({ status: 202 });
    expect(parseExpectation('422 …')).toEqual({ status: 422, answer: { kind: 'any' } });
    expect(parseExpectation('201 {"id":…}').status).toBe(201);
    expect(() => parseExpectation('{"a":1')).toThrow(/expected "," or "}"/);
    expect(() => parseExpectation('two files')).toThrow();
    expect(() => parseExpectation('{"a":1} trailing')).toThrow(/unexpected text/);
  });

  it('checks the status: 2xx unless the expectation gives one', () => {
    expect(checkAnswer(undefined, 201, '')).toBeUndefined();
    expect(checkAnswer(undefined, 404, '{}')).toMatch(/2xx/);
    const expectation = { line: 1, text: '422 …', ...parseExpectation('422 …') };
    expect(checkAnswer(expectation, 422, '{"error":{}}')).toBeUndefined();
    expect(checkAnswer(expectation, 200, '{}')).toMatch(/expected status 422/);
    expect(checkAnswer({ line: 1, text: '{}', answer: parsePattern('{…}') }, 200, '<html>')).toMatch(/not JSON/);
  });
});

describe('README tour blocks', () => {
  const readme = [
    '# Title',
    '```sh',
    'not in the tour',
    '```',
    '## API tour',
    '```sh',
    'export API=http://localhost:3000 KEY=rk_…   # the key',
    '# a comment',
    "curl -d '{",
    "  \"a\":1}'   # → {\"a\":1}",
    'printf "x"\\',
    '"y"',
    '# → 201 {"b":2,',
    '#    "c":3}',
    '```',
    '### A subsection',
    '```jsonc',
    '## not a heading',
    '```',
    '```sh',
    'while false; do',
    '  sleep 1',
    'done',
    '```',
    '## Next section',
    '```sh',
    'not in the tour either',
    '```',
  ].join('\n');

  it('takes the sh blocks of the section and its subsections, and splits them into commands', () => {
    const blocks = tourBlocks(readme);
    expect(blocks.map((b) => [b.index, b.line])).toEqual([[1, 7], [2, 21]]);
    const commands = blocks.flatMap((b) => blockCommands(b));
    expect(commands.map((c) => [c.block, c.line, c.endLine])).toEqual([[1, 7, 7], [1, 9, 10], [1, 11, 12], [2, 21, 23]]);
    expect(commands[1].expectation).toMatchObject({ line: 10, text: '{"a":1}' });
    expect(commands[2].expectation).toMatchObject({ line: 13, status: 201, text: '201 {"b":2,"c":3}' });
    expect(commands[3].text).toBe('while false; do\n  sleep 1\ndone');
  });

  it('refuses an expectation that does not follow its command', () => {
    const bad = tourBlocks('## API tour\n```sh\necho\n\n# → 200\n```\n');
    expect(() => blockCommands(bad[0])).toThrow(/line 5: a "# →" comment must follow the command/);
  });

  it("reads the README's own tour: every expectation parses", () => {
    const blocks = tourBlocks(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    const commands = blocks.flatMap((b) => blockCommands(b));
    expect(commands.some((c) => /^export API=\S+ KEY=\S+/.test(c.text))).toBe(true);
    expect(commands.filter((c) => c.expectation).length).toBeGreaterThan(10);
  });
});
