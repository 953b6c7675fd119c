// Turning what marketers type (in a CSV or JSON) into typed attribute values.
import type { FieldProblem } from '../errors.js';

export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  values?: string[] | null;
  /** Other CSV header names for it ("Chiffre d'affaires"). */
  aliases?: string[];
}

/** The longest text value, in the JSON API and in a CSV cell alike. */
export const ATTRIBUTE_TEXT_MAX = 2000;

export type AttributeValue = string | number | boolean | null;

const TRUE_WORDS = new Set(['true', 'yes', 'oui', '1', 'vrai', 'y', 'o']);
const FALSE_WORDS = new Set(['false', 'no', 'non', '0', 'faux', 'n']);

/**
 * Numbers as written in France or Canada as well as in English: "1 254,50", "1254.50", "1.254,50".
 * When both separators appear the last one is the decimal mark; a lone comma is a decimal mark.
 */
export function parseLocaleNumber(raw: string): number | undefined {
  let s = raw.trim().replace(/[\s\u00a0\u202f_']/g, '').replace(/[€$]|EUR|CAD|USD/gi, '');
  if (!/^[+-]?[\d.,]+$/.test(s)) return undefined;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if (s.indexOf(',') !== lastComma) return undefined;
    s = s.replace(',', '.');
  } else if (s.indexOf('.') !== lastDot) {
    return undefined;
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Dates are stored as YYYY-MM-DD; French DD/MM/YYYY is accepted on input. */
export function parseDate(raw: string): string | undefined {
  const s = raw.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function coerceAttribute(def: AttributeDefinition, raw: unknown): { value: AttributeValue } | { error: string } {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  switch (def.type) {
    case 'text':
      if (typeof raw === 'string' && raw.length > ATTRIBUTE_TEXT_MAX) return { error: `must be at most ${ATTRIBUTE_TEXT_MAX} characters` };
      if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { value: String(raw) };
      return { error: 'must be text' };
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseLocaleNumber(raw) : undefined;
      return n === undefined || !Number.isFinite(n) ? { error: `"${String(raw)}" is not a number` } : { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const word = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { error: `"${String(raw)}" is not a yes/no value (true/false, yes/no, oui/non, 1/0)` };
    }
    case 'date': {
      const d = typeof raw === 'string' ? parseDate(raw) : undefined;
      return d ? { value: d } : { error: `"${String(raw)}" is not a date (YYYY-MM-DD or DD/MM/YYYY)` };
    }
    case 'enum': {
      const s = String(raw).trim();
      const allowed = def.values ?? [];
      const found = allowed.find((v) => v.toLowerCase() === s.toLowerCase());
      return found !== undefined ? { value: found } : { error: `"${s}" is not one of ${allowed.join(', ')}` };
    }
  }
}

/** Checks a whole `attributes` object against the declarations; undeclared names are problems. */
export function coerceAttributes(
  defs: Map<string, AttributeDefinition>,
  input: Record<string, unknown>,
  fieldPrefix = 'attributes.',
): { values: Record<string, AttributeValue>; problems: FieldProblem[] } {
  const values: Record<string, AttributeValue> = {};
  const problems: FieldProblem[] = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = defs.get(name);
    if (!def) {
      problems.push({ field: fieldPrefix + name, message: `attribute "${name}" is not declared (PUT /v1/attributes/${name})` });
      continue;
    }
    const result = coerceAttribute(def, raw);
    if ('error' in result) problems.push({ field: fieldPrefix + name, message: result.error });
    else values[name] = result.value;
  }
  return { values, problems };
}
