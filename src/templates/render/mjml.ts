// MJML → HTML once per template version; Handlebars tokens go through untouched and are merged
// per recipient afterwards. Block markers between MJML components must sit inside <mj-raw>.
// mjml is loaded on the first compile, not at start: it is about 50 MB of a process's memory, and a sender (or an API
// process that only serves hits) merges compiled HTML and never needs it.
let mjml: Promise<typeof import('mjml')> | undefined;
const loadMjml = () => (mjml ??= import('mjml').then((m) => m.default));

export interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}

export interface MjmlResult {
  html: string;
  errors: MjmlError[];
}

export interface CompileMjmlOptions {
  /** 'soft' (default) renders despite errors; 'strict' renders nothing when there is any error. */
  validationLevel?: 'soft' | 'strict';
}

// A comment may contain `}}`; triple-stash before double. Order matters.
const TOKEN = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;

export interface ProtectedTokens {
  text: string;
  tokens: { token: string; line: number; placeholder: string }[];
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Swap every `{{…}}` for an inert word, so no HTML/CSS processing can alter it (escape quotes,
 * wrap lines, change case). Comments are dropped: they render nothing anyway. Newlines inside a
 * token are kept after its placeholder so that line numbers in MJML errors stay right.
 */
export function protectTokens(source: string): ProtectedTokens {
  let prefix = 'hbs_tkn_';
  while (source.includes(prefix)) prefix += 'x';
  const tokens: ProtectedTokens['tokens'] = [];
  let line = 1;
  let last = 0;
  const text = source.replace(TOKEN, (token: string, offset: number) => {
    line += countNewlines(source.slice(last, offset));
    last = offset;
    const newlines = '\n'.repeat(countNewlines(token));
    if (token.startsWith('{{!')) return newlines;
    const placeholder = `${prefix}${tokens.length}_`;
    tokens.push({ token, line, placeholder });
    return placeholder + newlines;
  });
  return { text, tokens };
}

/** Put the tokens back; returns those whose placeholder no longer appears (dropped by the processor). */
export function restoreTokens(output: string, tokens: ProtectedTokens['tokens']): { text: string; missing: ProtectedTokens['tokens'] } {
  const missing: ProtectedTokens['tokens'] = [];
  let text = output;
  // Highest index first, so that placeholder 1_ never matches inside 11_ (the trailing _ also prevents it).
  for (let i = tokens.length - 1; i >= 0; i--) {
    const { token, placeholder } = tokens[i];
    const extra = countNewlines(token);
    const pattern = new RegExp(`${placeholder}\\n{0,${extra}}`, 'g');
    if (!pattern.test(text)) {
      missing.push(tokens[i]);
      continue;
    }
    pattern.lastIndex = 0;
    text = text.replace(pattern, () => token);
  }
  return { text, missing: missing.reverse() };
}

/** Turns what mjml2html reports or throws (strict mode's ValidationError carries `errors`) into our list. */
export function mjmlErrors(source: unknown): MjmlError[] {
  const list = (source as { errors?: unknown })?.errors;
  if (Array.isArray(list)) {
    return list.map((e: { line?: unknown; message?: unknown; tagName?: unknown }) => ({
      line: typeof e.line === 'number' ? e.line : 1,
      message: String(e.message ?? e).trim(),
      tagName: typeof e.tagName === 'string' ? e.tagName : '',
    }));
  }
  const message = source instanceof Error ? source.message : String(source);
  return [{ line: 1, message: `MJML could not be parsed: ${message}`, tagName: 'mjml' }];
}

export async function compileMjml(mjml: string, options: CompileMjmlOptions = {}): Promise<MjmlResult> {
  const validationLevel = options.validationLevel ?? 'soft';
  const { text, tokens } = protectTokens(mjml);
  let html: string;
  let errors: MjmlError[];
  try {
    const mjml2html = await loadMjml();
    const result = await mjml2html(text, {
      validationLevel,
      minify: false,
      beautify: false,
      ignoreIncludes: true, // mj-include would read files on the server
    });
    html = result.html;
    errors = mjmlErrors(result);
  } catch (error) {
    return { html: '', errors: mjmlErrors(error) };
  }
  const restored = restoreTokens(html, tokens);
  for (const lost of restored.missing) {
    errors.push({
      line: lost.line,
      message: `MJML dropped the Handlebars token ${lost.token}: put block markers placed between MJML components inside <mj-raw>`,
      tagName: 'mj-raw',
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { html: restored.text, errors };
}
