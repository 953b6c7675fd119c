// A restricted Handlebars environment shared by both renderers. Helpers are pure functions of their
// arguments, of the merge data (@root.locale, @root.timezone) and of the render's format (the language of the
// content and the recipient's currency, see RenderOptions.format): no env, fs, network or console.
import Handlebars from 'handlebars';
import { meteredHelper, type RenderSlot } from './budget.js';

export type HandlebarsEnv = typeof Handlebars;

/** Helpers a template may call. Built-ins first, then ours. */
export const SAFE_HELPERS = [
  'if', 'unless', 'each', 'with', 'lookup',
  'default', 'date', 'money', 'number', 'upper', 'lower', 'capitalize',
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not',
] as const;

export type SafeHelperName = (typeof SAFE_HELPERS)[number];

/** Used when the contact has no (valid) locale or timezone: the platform is French-first. */
export const DEFAULT_LOCALE = 'fr-FR';
export const DEFAULT_TIMEZONE = 'Europe/Paris';
export const DEFAULT_CURRENCY = 'EUR';

// Kept by Handlebars.create() and needed by the runtime; never callable from templates.
const INTERNAL_HELPERS = ['helperMissing', 'blockHelperMissing'];

interface Options {
  hash?: Record<string, unknown>;
  data?: { root?: unknown };
  /** What the caller formats with (budget.ts hands it over): the content's language and the recipient's currency. */
  format?: { locale?: unknown; currency?: unknown };
}

const hasOwn = Object.prototype.hasOwnProperty;

function splitArgs(args: unknown[]): { values: unknown[]; options: Options } {
  const options = (args.length > 0 ? args[args.length - 1] : {}) as Options;
  return { values: args.slice(0, -1), options: options ?? {} };
}

function rootValue(options: Options, key: string): unknown {
  const root = options.data?.root;
  if (root && typeof root === 'object' && hasOwn.call(root, key)) {
    return (root as Record<string, unknown>)[key];
  }
  return undefined;
}

// Intl objects are costly to build; formatting runs once per recipient.
const formatterCache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
const MAX_FORMATTERS = 256;

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatterCache.get(key) as T | undefined;
  if (!f) {
    f = make();
    if (formatterCache.size >= MAX_FORMATTERS) formatterCache.clear();
    formatterCache.set(key, f);
  }
  return f;
}

const localeCache = new Map<string, string>();

/** A locale Intl supports, else DEFAULT_LOCALE (never the host's default locale). */
export function resolveLocale(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') return DEFAULT_LOCALE;
  const hit = localeCache.get(raw);
  if (hit) return hit;
  let locale = DEFAULT_LOCALE;
  try {
    const canonical = Intl.getCanonicalLocales(raw.trim().replace(/_/g, '-'))[0];
    if (canonical && Intl.NumberFormat.supportedLocalesOf([canonical]).length > 0) locale = canonical;
  } catch {
    // malformed tag: keep the default
  }
  if (localeCache.size >= MAX_FORMATTERS) localeCache.clear();
  localeCache.set(raw, locale);
  return locale;
}

function resolveTimeZone(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return DEFAULT_TIMEZONE;
  try {
    cached(`tz|${raw}`, () => new Intl.DateTimeFormat('en', { timeZone: raw }));
    return raw;
  } catch {
    return DEFAULT_TIMEZONE;
  }
}

/** The render's formatting locale when the caller gave one (the content's language), else the contact's. */
function localeOf(options: Options): string {
  const given = options.format?.locale;
  return resolveLocale(typeof given === 'string' && given !== '' ? given : rootValue(options, 'locale'));
}

const CURRENCY = /^[A-Za-z]{3}$/;

function defaultCurrency(options: Options): string {
  const given = options.format?.currency;
  return typeof given === 'string' && CURRENCY.test(given) ? given.toUpperCase() : DEFAULT_CURRENCY;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v.trim());
  return Number.NaN;
}

function text(v: unknown): string {
  return v == null ? '' : String(v);
}

// Same notion of truth as #if: false, 0, '', null, undefined, NaN and [] are false.
function truthy(v: unknown): boolean {
  return !!v && !(Array.isArray(v) && v.length === 0);
}

const DATE_STYLES = new Set(['full', 'long', 'medium', 'short']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(v: unknown): Date | undefined {
  let d: Date | undefined;
  if (v instanceof Date) d = v;
  else if (typeof v === 'string' && v.trim() !== '') d = new Date(v.trim());
  else if (typeof v === 'number') d = new Date(v);
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

function dateHelper(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  const value = values[0];
  const date = toDate(value);
  if (!date) return '';
  const hash = options.hash ?? {};
  const style = DATE_STYLES.has(String(hash.style)) ? String(hash.style) : 'long';
  // A bare calendar date (a birthday) has no time: show it as is, whatever the timezone.
  const dateOnly = typeof value === 'string' && DATE_ONLY.test(value.trim());
  const time = !dateOnly && DATE_STYLES.has(String(hash.time)) ? String(hash.time) : undefined;
  const timeZone = dateOnly ? 'UTC' : resolveTimeZone(rootValue(options, 'timezone'));
  const locale = localeOf(options);
  const fmt = cached(`d|${locale}|${timeZone}|${style}|${time ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: style as Intl.DateTimeFormatOptions['dateStyle'],
      timeStyle: time as Intl.DateTimeFormatOptions['timeStyle'],
      timeZone,
    }),
  );
  return fmt.format(date);
}

function decimalsOf(hash: Record<string, unknown> | undefined): number | undefined {
  const d = toNumber(hash?.decimals);
  return Number.isInteger(d) && d >= 0 && d <= 20 ? d : undefined;
}

function moneyHelper(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  const amount = toNumber(values[0]);
  if (!Number.isFinite(amount)) return '';
  // An explicit currency wins over the recipient's.
  const rawCurrency = values.length > 1 && values[1] != null && values[1] !== '' ? String(values[1]) : defaultCurrency(options);
  const locale = localeOf(options);
  const decimals = decimalsOf(options.hash);
  // Intl throws on a malformed currency code: fall back to a plain number rather than failing the send.
  const currency = CURRENCY.test(rawCurrency) ? rawCurrency.toUpperCase() : undefined;
  const fmt = cached(`m|${locale}|${currency ?? ''}|${decimals ?? ''}`, () =>
    new Intl.NumberFormat(locale, {
      ...(currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      ...(decimals !== undefined ? { minimumFractionDigits: decimals, maximumFractionDigits: decimals } : {}),
    }),
  );
  return fmt.format(amount);
}

function numberHelper(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  const n = toNumber(values[0]);
  if (!Number.isFinite(n)) return '';
  const locale = localeOf(options);
  const decimals = decimalsOf(options.hash);
  const fmt = cached(`n|${locale}|${decimals ?? ''}`, () =>
    new Intl.NumberFormat(
      locale,
      decimals !== undefined ? { minimumFractionDigits: decimals, maximumFractionDigits: decimals } : {},
    ),
  );
  return fmt.format(n);
}

function defaultHelper(...args: unknown[]): unknown {
  const { values } = splitArgs(args);
  const [value, fallback] = values;
  return value === undefined || value === null || value === '' ? (fallback ?? '') : value;
}

function upper(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  return text(values[0]).toLocaleUpperCase(localeOf(options));
}

function lower(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  return text(values[0]).toLocaleLowerCase(localeOf(options));
}

function capitalize(...args: unknown[]): string {
  const { values, options } = splitArgs(args);
  const s = text(values[0]);
  const first = s.codePointAt(0);
  if (first === undefined) return '';
  const head = String.fromCodePoint(first);
  return head.toLocaleUpperCase(localeOf(options)) + s.slice(head.length);
}

// Numbers compare as numbers (numeric strings too); other strings lexically; anything else is false.
function compare(a: unknown, b: unknown): number | undefined {
  if (a == null || b == null) return undefined;
  if (a instanceof Date) a = a.getTime();
  if (b instanceof Date) b = b.getTime();
  const na = toNumber(a);
  const nb = toNumber(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function comparator(test: (c: number) => boolean) {
  return (...args: unknown[]): boolean => {
    const { values } = splitArgs(args);
    const c = compare(values[0], values[1]);
    return c !== undefined && test(c);
  };
}

const OWN_HELPERS: Record<Exclude<SafeHelperName, 'if' | 'unless' | 'each' | 'with' | 'lookup'>, (...args: unknown[]) => unknown> = {
  default: defaultHelper,
  date: dateHelper,
  money: moneyHelper,
  number: numberHelper,
  upper,
  lower,
  capitalize,
  eq: (...args) => { const { values } = splitArgs(args); return values[0] === values[1]; },
  ne: (...args) => { const { values } = splitArgs(args); return values[0] !== values[1]; },
  gt: comparator((c) => c > 0),
  gte: comparator((c) => c >= 0),
  lt: comparator((c) => c < 0),
  lte: comparator((c) => c <= 0),
  and: (...args) => { const { values } = splitArgs(args); return values.length > 0 && values.every(truthy); },
  or: (...args) => { const { values } = splitArgs(args); return values.some(truthy); },
  not: (...args) => { const { values } = splitArgs(args); return !truthy(values[0]); },
};

/**
 * Handlebars.create() with only SAFE_HELPERS (plus the runtime's internal *Missing hooks). With a slot, every
 * helper counts against the budget of the render under way (budget.ts): both renderers call these very functions.
 */
export function createSafeHandlebars(slot?: RenderSlot): HandlebarsEnv {
  const hb = Handlebars.create();
  const keep = new Set<string>([...SAFE_HELPERS, ...INTERNAL_HELPERS]);
  for (const name of Object.keys(hb.helpers)) {
    if (!keep.has(name)) hb.unregisterHelper(name);
  }
  // Decorators (the built-in "inline" one) would let templates define partials.
  for (const name of Object.keys((hb as unknown as { decorators: object }).decorators)) {
    hb.unregisterDecorator(name);
  }
  for (const [name, fn] of Object.entries(OWN_HELPERS)) {
    hb.registerHelper(name, fn as Handlebars.HelperDelegate);
  }
  if (slot) {
    // Built-ins call each other through hb.helpers (unless → if, blocks on arrays → each): they get these too.
    for (const name of keep) {
      const fn = hb.helpers[name] as unknown as ((...args: unknown[]) => unknown) | undefined;
      if (fn) hb.registerHelper(name, meteredHelper(slot, fn) as Handlebars.HelperDelegate);
    }
  }
  return hb;
}

/** compile()'s knownHelpers: ours true; runtime defaults a template must not call set false. */
export function knownHelpersMap(): Record<string, boolean> {
  const map: Record<string, boolean> = { log: false, helperMissing: false, blockHelperMissing: false };
  for (const name of SAFE_HELPERS) map[name] = true;
  return map;
}
