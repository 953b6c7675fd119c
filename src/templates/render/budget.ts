// A render is bounded while it runs, and both renderers count it the same way, so they refuse the same inputs with
// the same error: eight nested {{#each @root}} in 193 characters would otherwise build strings until the process dies.
//
// - steps: the top-level template once, and every run of a block's body (each iteration, each if/with/else branch),
//   each worth 1 + its number of statements; plus 1 per helper call. Counted when a body starts, before it runs.
// - characters: every string written into a body's output (at each nesting level: a block's text counts again where
//   its parent writes it), plus every string a helper returns.
// Both are checked as they grow; the first limit crossed throws RenderBudgetError.

export interface RenderLimits {
  steps: number;
  characters: number;
}

/** Generous for any real email or SMS: the starter newsletter, with the sample contact, takes 22 steps and 29,000 characters. */
export const RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({ steps: 100_000, characters: 2_000_000 });

export class RenderBudgetError extends Error {
  constructor(readonly limit: keyof RenderLimits, readonly max: number) {
    super(
      limit === 'steps'
        ? `Rendering budget exceeded: more than ${max} steps (loops and blocks run, statements, helper calls)`
        : `Rendering budget exceeded: more than ${max} characters produced`,
    );
    this.name = 'RenderBudgetError';
  }
}

/** The counters of one render (or of several, when a caller passes the same meter to each). */
export class RenderMeter {
  steps = 0;
  characters = 0;
  constructor(readonly limits: Readonly<RenderLimits> = RENDER_LIMITS) {}

  step(n: number): void {
    this.steps += n;
    if (this.steps > this.limits.steps) throw new RenderBudgetError('steps', this.limits.steps);
  }

  /** A body starts: itself and its statements. */
  enter(statements: number): void {
    this.step(1 + statements);
  }

  produced(length: number): void {
    this.characters += length;
    if (this.characters > this.limits.characters) throw new RenderBudgetError('characters', this.limits.characters);
  }

  /** What a body writes: counted, and made a string (so `{{a}}{{b}}` concatenates, never adds). */
  write(value: unknown): string {
    const text = value == null ? '' : '' + (value as string);
    this.produced(text.length);
    return text;
  }
}

/** Statements in each block's main and inverse bodies, by the block's start position (what helpers get as `loc`). */
export type BlockSizes = ReadonlyMap<string, { fn: number; inverse: number }>;

export const locKey = (loc: { start: { line: number; column: number } }) => `${loc.start.line}:${loc.start.column}`;

/** The render under way, as both renderers' helper wrappers and the compiled code's writes see it. */
export interface RenderState {
  meter: RenderMeter;
  blocks: BlockSizes;
  /** How helpers format (see RenderOptions.format): handed to each helper as `options.format`. */
  format?: { locale?: string; currency?: string };
}

/** Holds the render under way: rendering is synchronous, so one slot per renderer is enough. */
export class RenderSlot {
  current: RenderState | undefined;

  /** Called by compiled templates for every write (see compiled-renderer.ts): the hot path, so inlined. */
  write(value: unknown): string {
    const text = value == null ? '' : '' + (value as string);
    const meter = this.current?.meter;
    if (meter && (meter.characters += text.length) > meter.limits.characters) throw new RenderBudgetError('characters', meter.limits.characters);
    return text;
  }

  run<T>(state: RenderState, render: () => T): T {
    const previous = this.current;
    this.current = state;
    try {
      return render();
    } finally {
      this.current = previous;
    }
  }
}

type ProgramFn = ((...args: unknown[]) => unknown) & { [METERED]?: true };
const METERED = Symbol('metered');

/**
 * Wraps a helper so that each call is a step, each run of its block bodies is counted as it starts, and the
 * string it returns is counted (a block's own text was already counted as written). `unless` calls `if`, and
 * blocks on data call `each`, with bodies already wrapped: those are not counted twice. The render's format
 * goes to the helper as `options.format` (not as @data: passing data to compiled templates costs a fresh
 * program wrapper per block).
 */
export function meteredHelper(slot: RenderSlot, helper: (...args: unknown[]) => unknown) {
  return function metered(this: unknown, ...args: unknown[]): unknown {
    const state = slot.current;
    if (!state) return helper.apply(this, args);
    state.meter.step(1);
    const options = args[args.length - 1] as
      | { fn?: ProgramFn; inverse?: ProgramFn; loc?: { start: { line: number; column: number } }; format?: RenderState['format'] }
      | undefined;
    if (options && typeof options === 'object' && state.format) options.format = state.format;
    const isBlock = !!options && typeof options === 'object' && (typeof options.fn === 'function' || typeof options.inverse === 'function');
    if (isBlock) {
      const size = options.loc ? state.blocks.get(locKey(options.loc)) : undefined;
      options.fn = meteredProgram(state.meter, options.fn, size?.fn ?? 0);
      options.inverse = meteredProgram(state.meter, options.inverse, size?.inverse ?? 0);
    }
    const result = helper.apply(this, args);
    if (!isBlock && typeof result === 'string') state.meter.produced(result.length);
    return result;
  };
}

function meteredProgram(meter: RenderMeter, fn: ProgramFn | undefined, statements: number): ProgramFn | undefined {
  if (typeof fn !== 'function' || fn[METERED]) return fn;
  const wrapped: ProgramFn = function (this: unknown, ...args: unknown[]) {
    meter.enter(statements);
    return fn.apply(this, args);
  };
  wrapped[METERED] = true;
  return wrapped;
}
