// Node renderer: Handlebars' own compiler (generates JS with new Function, so not for workerd).
import type { TemplateDelegate, RuntimeOptions } from 'handlebars';
import { assertSupported, blockSizes } from './ast.js';
import { RenderMeter, RenderSlot, type BlockSizes } from './budget.js';
import { createSafeHandlebars, knownHelpersMap, type HandlebarsEnv } from './helpers.js';
import type { MergeData, MergeRenderer, RenderOptions } from './types.js';

const MAX_CACHED = 500;

// Prototype access stays off; saying so explicitly also stops Handlebars from console-logging
// every denied property (helpers and renderers must not reach the host).
const RUNTIME_OPTIONS: RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

type CompilerCtor = {
  new (): unknown;
  prototype: { appendToBuffer: (source: unknown, location: unknown, explicit: unknown) => unknown; compiler: unknown };
};

/** Where compiled code finds the render slot: `helpers` is in scope in every program, and non-functions pass as is. */
const SLOT_KEY = '__render_slot';

/**
 * Every write goes through the render slot (the documented appendToBuffer override point), which counts it against
 * the budget as it happens and makes it a string: Handlebars joins appended values with `+`, so with noEscape
 * `{{a}}{{b}}` with a=1, b=2 would otherwise render "3".
 */
function useMeteredWrites(hb: HandlebarsEnv): void {
  const env = hb as unknown as { JavaScriptCompiler: CompilerCtor };
  const Base = env.JavaScriptCompiler;
  function StringConcatCompiler(this: unknown): void {
    // The base constructor is empty.
  }
  const proto = Object.create(Base.prototype) as CompilerCtor['prototype'];
  proto.compiler = StringConcatCompiler; // child programs are built with `new this.compiler()`
  proto.appendToBuffer = function appendToBuffer(source, location, explicit) {
    return Base.prototype.appendToBuffer.call(this, [`helpers.${SLOT_KEY}.write(`, source, ')'], location, explicit);
  };
  StringConcatCompiler.prototype = proto;
  env.JavaScriptCompiler = StringConcatCompiler as unknown as CompilerCtor;
}

interface Compiled {
  template: TemplateDelegate;
  statements: number;
  blocks: BlockSizes;
}

export function createCompiledRenderer(): MergeRenderer {
  const slot = new RenderSlot();
  const hb = createSafeHandlebars(slot);
  (hb.helpers as Record<string, unknown>)[SLOT_KEY] = slot; // not a helper name a template can call (knownHelpersOnly)
  useMeteredWrites(hb);
  const knownHelpers = knownHelpersMap();
  // One map per mode, keyed by the source itself: a concatenated key would be re-hashed per render.
  const caches = { escaped: new Map<string, Compiled>(), raw: new Map<string, Compiled>() };

  function templateFor(source: string, escape: boolean): Compiled {
    const cache = escape ? caches.escaped : caches.raw;
    let compiled = cache.get(source);
    if (!compiled) {
      // Same up-front rejection (partials, decorators, unknown helpers) as the interpreter.
      const ast = hb.parse(source);
      assertSupported(ast);
      const template = hb.compile(source, { knownHelpers, knownHelpersOnly: true, strict: false, noEscape: !escape });
      compiled = { template, statements: ast.body.length, blocks: blockSizes(ast) };
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(source, compiled);
    }
    return compiled;
  }

  return {
    name: 'compiled',
    render(source: string, data: MergeData, options: RenderOptions = {}): string {
      const { template, statements, blocks } = templateFor(source, options.escape ?? true);
      const meter = options.meter ?? new RenderMeter(options.limits);
      return slot.run({ meter, blocks, format: options.format }, () => {
        meter.enter(statements);
        return template(data, RUNTIME_OPTIONS);
      });
    },
  };
}
