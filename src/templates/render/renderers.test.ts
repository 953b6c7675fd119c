import Handlebars from 'handlebars';
import { afterEach, describe, expect, it } from 'vitest';
import { RenderBudgetError, RenderMeter, RENDER_LIMITS } from './budget.js';
import { createCompiledRenderer } from './compiled-renderer.js';
import { budgetFixtures, fixtures, contact } from './fixtures.js';
import { createInterpretedRenderer } from './interpreter.js';
import type { MergeRenderer } from './types.js';

const compiled = createCompiledRenderer();
const interpreted = createInterpretedRenderer();
const renderers: MergeRenderer[] = [compiled, interpreted];

describe('both renderers give byte-identical output', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const options = { escape: f.escape ?? true, format: f.format };
    const a = compiled.render(f.source, f.data, options);
    const b = interpreted.render(f.source, f.data, options);
    expect(b).toBe(a);
    // Twice: the second run hits each renderer's cache.
    expect(interpreted.render(f.source, f.data, options)).toBe(a);
    expect(compiled.render(f.source, f.data, options)).toBe(a);
  });
});

describe('hand-written expected output', () => {
  const withExpected = fixtures.filter((f) => f.expected !== undefined);

  it('covers most fixtures', () => {
    expect(withExpected.length).toBeGreaterThanOrEqual(fixtures.length - 2);
  });

  for (const renderer of renderers) {
    it.each(withExpected.map((f) => [f.name, f] as const))(`${renderer.name}: %s`, (_name, f) => {
      expect(renderer.render(f.source, f.data, { escape: f.escape ?? true, format: f.format })).toBe(f.expected);
    });
  }

  it('money in fr-FR uses U+202F between thousands and U+00A0 before €', () => {
    for (const renderer of renderers) {
      const out = renderer.render('{{money attributes.annual_revenue "EUR"}}', contact);
      expect([...out].map((c) => c.codePointAt(0)!.toString(16))).toEqual(
        ['31', '202f', '32', '35', '34', '2c', '30', '30', 'a0', '20ac'],
      );
    }
  });

  it('uses plain string concatenation where vanilla Handlebars adds numbers', () => {
    // Documents why the compiled renderer overrides appendToBuffer.
    const vanilla = Handlebars.create().compile('{{a}}{{b}}', { noEscape: true });
    expect(vanilla({ a: 1, b: 2 })).toBe('3');
    for (const renderer of renderers) expect(renderer.render('{{a}}{{b}}', { a: 1, b: 2 }, { escape: false })).toBe('12');
  });
});

describe('rejections', () => {
  const rejected: [string, RegExp][] = [
    ['{{foo bar}}', /Unknown helper "foo"/],
    ['{{log "x"}}', /Unknown helper "log"/],
    ['{{#if x}}{{else}}{{helperMissing 1}}{{/if}}', /Unknown helper "helperMissing"/],
    ['{{constructor.constructor "return process"}}', /Unknown helper "constructor"/],
    ['{{x (blockHelperMissing)}}', /Unknown helper "x"/],
    ['a\n{{> footer}}', /Partials .* \(line 2\)/],
    ['{{#> layout}}x{{/layout}}', /Partials/],
    ['{{* deco}}', /Decorators/],
    ['{{#*inline "p"}}x{{/inline}}', /Decorators/],
  ];
  for (const renderer of renderers) {
    it.each(rejected)(`${renderer.name} rejects %s`, (source, message) => {
      expect(() => renderer.render(source, contact)).toThrow(message);
    });
  }

  it('the compiled renderer rejects unknown helpers even in a branch that never runs', () => {
    expect(() => compiled.render('{{#if false}}{{shout first_name}}{{/if}}', contact)).toThrow(/Unknown helper "shout"/);
    expect(() => interpreted.render('{{#if false}}{{shout first_name}}{{/if}}', contact)).toThrow(/Unknown helper "shout"/);
  });

  it('reports syntax errors from both renderers', () => {
    for (const renderer of renderers) expect(() => renderer.render('{{#if a}}x', contact)).toThrow(/Parse error on line 1/);
  });
});

describe('one bounded budget, counted the same way by both renderers', () => {
  /** What a renderer does with a fixture: its output and usage, or the budget error it throws. */
  function outcome(renderer: MergeRenderer, f: (typeof budgetFixtures)[number]) {
    const meter = new RenderMeter(f.limits ?? RENDER_LIMITS);
    try {
      const output = renderer.render(f.source, f.data, { escape: f.escape ?? true, meter });
      return { output, usage: { steps: meter.steps, characters: meter.characters } };
    } catch (err) {
      if (!(err instanceof RenderBudgetError)) throw err;
      // Counted as it goes: the render stops within one body of the limit, not after building everything.
      expect(meter[err.limit]).toBeGreaterThan(err.max);
      if (err.limit === 'steps') expect(meter.steps).toBeLessThanOrEqual(err.max + 50);
      return { refused: err.limit, message: err.message };
    }
  }

  it.each(budgetFixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const a = outcome(compiled, f);
    const b = outcome(interpreted, f);
    expect(b).toEqual(a);
    if (f.refused) expect(a).toMatchObject({ refused: f.refused, message: expect.stringMatching(/^Rendering budget exceeded: more than \d+ /) });
    else expect(a).toMatchObject({ usage: f.usage });
  });

  it('counts every shared fixture identically', () => {
    for (const f of fixtures) {
      const meters = renderers.map(() => new RenderMeter());
      renderers.forEach((r, i) => r.render(f.source, f.data, { escape: f.escape ?? true, format: f.format, meter: meters[i] }));
      expect({ name: f.name, steps: meters[1].steps, characters: meters[1].characters }).toEqual({ name: f.name, steps: meters[0].steps, characters: meters[0].characters });
    }
  });

  it('the message names the limit', () => {
    for (const renderer of renderers) {
      expect(() => renderer.render('{{#each @root}}{{#each @root}}x{{/each}}{{/each}}', contact, { limits: { steps: 20, characters: 1000 } }))
        .toThrow('Rendering budget exceeded: more than 20 steps (loops and blocks run, statements, helper calls)');
      expect(() => renderer.render('{{first_name}}{{first_name}}', contact, { limits: { steps: 100, characters: 10 } }))
        .toThrow('Rendering budget exceeded: more than 10 characters produced');
    }
  });

  it('a renderer is usable again after a refused render', () => {
    for (const renderer of renderers) {
      expect(() => renderer.render('{{#each @root}}{{#each @root}}x{{/each}}{{/each}}', contact, { limits: { steps: 20, characters: 1000 } })).toThrow(RenderBudgetError);
      expect(renderer.render('{{#each attributes.tags}}{{this}}{{/each}}', contact)).toBe('ab');
    }
  });
});

describe('the interpreter needs no code generation (workerd)', () => {
  const realFunction = globalThis.Function;
  const realEval = globalThis.eval;

  function forbidCodeGeneration(): void {
    const refuse = () => {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    globalThis.Function = refuse as unknown as FunctionConstructor;
    globalThis.eval = refuse;
  }

  afterEach(() => {
    globalThis.Function = realFunction;
    globalThis.eval = realEval;
  });

  it('renders every fixture with Function and eval replaced by throwing stubs', () => {
    const expected = fixtures.map((f) => compiled.render(f.source, f.data, { escape: f.escape ?? true, format: f.format }));
    forbidCodeGeneration();
    const fresh = createInterpretedRenderer(); // built and filled with the stubs in place
    const actual = fixtures.map((f) => fresh.render(f.source, f.data, { escape: f.escape ?? true, format: f.format }));
    globalThis.Function = realFunction;
    globalThis.eval = realEval;
    expect(actual).toEqual(expected);
  });

  it('the stubs do stop the compiled renderer (so the test above proves something)', () => {
    const fresh = createCompiledRenderer();
    forbidCodeGeneration();
    expect(() => fresh.render('Bonjour {{first_name}}', contact)).toThrow(/Code generation/);
  });
});

describe('helpers do not reach the host', () => {
  it('denied prototype properties are not logged', () => {
    const errors: unknown[] = [];
    const original = console.error;
    const originalLog = console.log;
    console.error = (...args: unknown[]) => errors.push(args);
    console.log = (...args: unknown[]) => errors.push(args);
    try {
      for (const renderer of renderers) renderer.render('{{toString}}{{valueOf}}{{hasOwnProperty}}{{first_name.trim}}', contact);
    } finally {
      console.error = original;
      console.log = originalLog;
    }
    expect(errors).toEqual([]);
  });
});
