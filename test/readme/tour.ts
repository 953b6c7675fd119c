// The README's API tour as data: its shell blocks, the commands in them, and the answers their `# →` comments promise.
// `scripts/readme-tour.ts` runs the commands against a freshly started server and checks the answers with
// `matchAnswer`; `tour.test.ts` checks these pieces and that the README's tour can be read.
//
// How a tour block is read:
// - The tour is the README's "## API tour" section with its subsections (up to the next "## " heading); its blocks
//   are the ```sh fences in it, in order.
// - A command is a line and the lines that continue it (a trailing `\`, an open quote or loop): it ends where
//   `bash -n` accepts the text. Comment lines between commands are not commands.
// - An expectation is a `# → …` comment at the end of a command's last line, or on the line right after it; lines
//   right after it that start with `#` and two or more spaces continue it. It is about the answer to the command's
//   last curl (earlier ones in the same command, e.g. a polling loop, must only succeed).
//
// What an expectation says: `# → [STATUS] [ANSWER]`.
// - STATUS (three digits): the HTTP status the last curl must get. Without one, every curl must get a 2xx.
// - ANSWER is JSON in which `…` means "anything else":
//   - an object must have every key written, with a matching value; it may have other keys only if the object
//     contains `…` (`{"id":…,"version":1}` is exact apart from the id, `{"status":"sent",…}` is not);
//   - an array matches item by item, and a `…` item stands for any number of items (`[…]` is any array,
//     `[{…},{…}]` exactly two objects);
//   - a `…` value matches any value (null included); in a string, `…` matches any text (`"rk_…"`, `"…1 254,50 €…"`),
//     and any space in the expectation matches any space character in the answer (French numbers use no-break spaces);
//   - numbers, booleans and null must be equal.
import { spawnSync } from 'node:child_process';

export type Pattern =
  | { kind: 'any' }
  | { kind: 'object'; entries: Array<[string, Pattern]>; open: boolean }
  | { kind: 'array'; items: Array<Pattern | { kind: 'rest' }> }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; value: number | boolean | null };

export interface Expectation {
  /** README line of the `# →` comment */
  line: number;
  text: string;
  status?: number;
  answer?: Pattern;
}

export interface Command {
  block: number;
  /** README lines (1-based) of the command's first and last line */
  line: number;
  endLine: number;
  text: string;
  expectation?: Expectation;
}

export interface Block {
  /** 1-based, in README order */
  index: number;
  /** README line of the first line inside the fence */
  line: number;
  lines: string[];
}

const ELLIPSIS = '…';

/** The ```sh blocks of the section that starts with `heading`, up to the next heading of the same or a higher level. */
export function tourBlocks(readme: string, heading = '## API tour'): Block[] {
  const lines = readme.split('\n');
  const level = heading.match(/^#+/)?.[0].length ?? 2;
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`README has no "${heading}" heading`);
  const blocks: Block[] = [];
  let fence: { lang: string; line: number; lines: string[] } | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (/^```\s*$/.test(line)) {
        if (fence.lang === 'sh') blocks.push({ index: blocks.length + 1, line: fence.line, lines: fence.lines });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const open = line.match(/^```(\S*)/);
    if (open) {
      fence = { lang: open[1], line: i + 2, lines: [] };
      continue;
    }
    const h = line.match(/^(#+)\s/);
    if (h && h[1].length <= level) break;
  }
  if (fence) throw new Error(`README line ${fence.line - 1}: the \`\`\`${fence.lang} block is never closed`);
  return blocks;
}

/** Whether bash reads `source` as complete commands (no open quote, loop or continuation). */
export function bashAccepts(source: string): boolean {
  if (/\\\s*$/.test(source)) return false;
  return spawnSync('bash', ['-n'], { input: source, encoding: 'utf8' }).status === 0;
}

const EXPECT_LINE = /^\s*# →(.*)$/;
const EXPECT_INLINE = /\s# →(.*)$/;
const CONTINUATION = /^\s*# {2,}(\S.*)$/;

/** Splits a block into commands with their expectations. */
export function blockCommands(block: Block, complete: (source: string) => boolean = bashAccepts): Command[] {
  const commands: Command[] = [];
  const { lines } = block;
  const at = (i: number) => block.line + i;
  // Reads a `# →` expectation that starts at line i (its text after the arrow given) and its continuation lines.
  const expectation = (i: number, first: string): { expectation: Expectation; next: number } => {
    const parts = [first.trim()];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const more = lines[j].match(CONTINUATION);
      if (!more) break;
      parts.push(more[1].trim());
    }
    const text = parts.join('');
    try {
      return { expectation: { line: at(i), text, ...parseExpectation(text) }, next: j };
    } catch (err) {
      throw new Error(`README line ${at(i)}: cannot read the expectation "# → ${text}": ${(err as Error).message}`);
    }
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const expected = line.match(EXPECT_LINE);
    if (expected) {
      const previous = commands[commands.length - 1];
      if (!previous || previous.endLine !== at(i) - 1 || previous.expectation) {
        throw new Error(`README line ${at(i)}: a "# →" comment must follow the command it describes, on the next line`);
      }
      const read = expectation(i, expected[1]);
      previous.expectation = read.expectation;
      i = read.next;
      continue;
    }
    if (/^\s*#/.test(line)) {
      i++;
      continue;
    }
    let j = i;
    while (!complete(lines.slice(i, j + 1).join('\n'))) {
      if (++j >= lines.length) throw new Error(`README line ${at(i)}: this command never ends (an open quote, loop or \\)`);
    }
    const command: Command = { block: block.index, line: at(i), endLine: at(j), text: lines.slice(i, j + 1).join('\n') };
    commands.push(command);
    const inline = lines[j].match(EXPECT_INLINE);
    if (inline) {
      const read = expectation(j, inline[1]);
      command.expectation = read.expectation;
      i = read.next;
    } else i = j + 1;
  }
  return commands;
}

/** `[STATUS] [ANSWER]`, e.g. `202`, `422 …`, `{"id":…}`, `201 {"id":…}`. */
export function parseExpectation(text: string): { status?: number; answer?: Pattern } {
  const m = text.trim().match(/^(?:([1-5]\d\d)(?=\s|$))?\s*([\s\S]*)$/);
  if (!m) throw new Error('expected [STATUS] [ANSWER]');
  const status = m[1] ? Number(m[1]) : undefined;
  const rest = m[2].trim();
  if (status === undefined && rest === '') throw new Error('nothing is expected');
  return { ...(status !== undefined && { status }), ...(rest !== '' && { answer: parsePattern(rest) }) };
}

/** JSON where `…` may stand for object members, array items or a value. */
export function parsePattern(text: string): Pattern {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${pos + 1} of ${text}`);
  };
  const space = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const eat = (token: string) => {
    space();
    if (!text.startsWith(token, pos)) return false;
    pos += token.length;
    return true;
  };
  const string = (): string => {
    space();
    const m = text.slice(pos).match(/^"(?:[^"\\]|\\.)*"/);
    if (!m) return fail('expected a string');
    pos += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): Pattern => {
    space();
    if (eat(ELLIPSIS)) return { kind: 'any' };
    if (eat('{')) {
      const entries: Array<[string, Pattern]> = [];
      let open = false;
      if (eat('}')) return { kind: 'object', entries, open };
      do {
        if (eat(ELLIPSIS)) {
          open = true;
          continue;
        }
        const key = string();
        if (!eat(':')) fail('expected ":"');
        entries.push([key, value()]);
      } while (eat(','));
      if (!eat('}')) fail('expected "," or "}"');
      return { kind: 'object', entries, open };
    }
    if (eat('[')) {
      const items: Array<Pattern | { kind: 'rest' }> = [];
      if (eat(']')) return { kind: 'array', items };
      do items.push(eat(ELLIPSIS) ? { kind: 'rest' } : value());
      while (eat(','));
      if (!eat(']')) fail('expected "," or "]"');
      return { kind: 'array', items };
    }
    if (text[pos] === '"') return { kind: 'string', value: string() };
    const literal = text.slice(pos).match(/^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/);
    if (!literal) return fail('expected a JSON value or …');
    pos += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as number | boolean | null };
  };
  const pattern = value();
  space();
  if (pos < text.length) fail('unexpected text');
  return pattern;
}

// \s covers the no-break spaces (U+00A0, U+202F) that French number formatting uses.
const spaces = (s: string) => s.replace(/\s/g, ' ');

function stringMatches(pattern: string, actual: string): boolean {
  const parts = spaces(pattern).split(ELLIPSIS);
  const s = spaces(actual);
  if (parts.length === 1) return s === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!s.startsWith(first) || s.length < first.length + last.length || !s.endsWith(last)) return false;
  let from = first.length;
  const end = s.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = s.indexOf(middle, from);
    if (found < 0 || found + middle.length > end) return false;
    from = found + middle.length;
  }
  return true;
}

const show = (value: unknown) => {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v);

/** Why `actual` does not match `pattern` (with the JSON path of the first difference), or undefined when it does. */
export function mismatch(pattern: Pattern, actual: unknown, path = '$'): string | undefined {
  switch (pattern.kind) {
    case 'any':
      return undefined;
    case 'literal':
      return actual === pattern.value ? undefined : `${path}: expected ${show(pattern.value)}, got ${show(actual)}`;
    case 'string':
      if (typeof actual !== 'string') return `${path}: expected a string ${show(pattern.value)}, got ${show(actual)}`;
      return stringMatches(pattern.value, actual) ? undefined : `${path}: expected ${show(pattern.value)}, got ${show(actual)}`;
    case 'object': {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${kindOf(actual)}`;
      const record = actual as Record<string, unknown>;
      for (const [key, value] of pattern.entries) {
        const at = `${path}.${key}`;
        if (!(key in record)) return `${at}: missing`;
        const why = mismatch(value, record[key], at);
        if (why) return why;
      }
      if (!pattern.open) {
        const written = new Set(pattern.entries.map(([k]) => k));
        const extra = Object.keys(record).filter((k) => !written.has(k));
        if (extra.length) return `${path}: unexpected ${extra.map((k) => `"${k}"`).join(', ')} (write … in the object to allow other keys)`;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(actual)) return `${path}: expected an array, got ${kindOf(actual)}`;
      const items = pattern.items;
      if (!items.some((p) => p.kind === 'rest')) {
        if (items.length !== actual.length) return `${path}: expected ${items.length} items, got ${actual.length}`;
        for (let i = 0; i < items.length; i++) {
          const why = mismatch(items[i] as Pattern, actual[i], `${path}[${i}]`);
          if (why) return why;
        }
        return undefined;
      }
      // With … items: backtrack over how many items each … takes.
      const fits = (p: number, a: number): boolean => {
        if (p === items.length) return a === actual.length;
        const item = items[p];
        if (item.kind === 'rest') {
          for (let k = a; k <= actual.length; k++) if (fits(p + 1, k)) return true;
          return false;
        }
        return a < actual.length && mismatch(item, actual[a]) === undefined && fits(p + 1, a + 1);
      };
      return fits(0, 0) ? undefined : `${path}: the ${actual.length} items do not match the expected ones`;
    }
  }
}

/** Checks one curl answer against an expectation: the status (2xx when none is written), then the JSON. */
export function checkAnswer(expectation: Expectation | undefined, status: number, body: string): string | undefined {
  if (expectation?.status !== undefined) {
    if (status !== expectation.status) return `expected status ${expectation.status}, got ${status}`;
  } else if (status < 200 || status > 299) return `expected a 2xx status, got ${status}`;
  if (!expectation?.answer) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the answer is not JSON';
  }
  return mismatch(expectation.answer, json);
}
