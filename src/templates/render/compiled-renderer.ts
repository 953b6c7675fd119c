// Node renderer: Handlebars' own compiler (generates JS with new Function, so not for workerd).
import type { TemplateDelegate, RuntimeOptions } from 'handlebars';
import { assertSupported } from './ast.js';
import { createSafeHandlebars, knownHelpersMap, type HandlebarsEnv } from './helpers.js';
import type { MergeData, MergeRenderer } from './types.js';

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

/**
 * Handlebars joins appended values with `+` and only starts from "" when content comes first,
 * so with noEscape `{{a}}{{b}}` with a=1, b=2 renders "3". Coerce every appended value to a
 * string (the documented appendToBuffer override point) so output is plain concatenation.
 */
function useStringConcatenation(hb: HandlebarsEnv): void {
  const env = hb as unknown as { JavaScriptCompiler: CompilerCtor };
  const Base = env.JavaScriptCompiler;
  function StringConcatCompiler(this: unknown): void {
    // The base constructor is empty.
  }
  const proto = Object.create(Base.prototype) as CompilerCtor['prototype'];
  proto.compiler = StringConcatCompiler; // child programs are built with `new this.compiler()`
  proto.appendToBuffer = function appendToBuffer(source, location, explicit) {
    const literal = typeof source === 'string' && source.startsWith('"');
    return Base.prototype.appendToBuffer.call(this, literal ? source : ['"" + (', source, ')'], location, explicit);
  };
  StringConcatCompiler.prototype = proto;
  env.JavaScriptCompiler = StringConcatCompiler as unknown as CompilerCtor;
}

export function createCompiledRenderer(): MergeRenderer {
  const hb = createSafeHandlebars();
  useStringConcatenation(hb);
  const knownHelpers = knownHelpersMap();
  // One map per mode, keyed by the source itself: a concatenated key would be re-hashed per render.
  const caches = { escaped: new Map<string, TemplateDelegate>(), raw: new Map<string, TemplateDelegate>() };

  function templateFor(source: string, escape: boolean): TemplateDelegate {
    const cache = escape ? caches.escaped : caches.raw;
    let template = cache.get(source);
    if (!template) {
      // Same up-front rejection (partials, decorators, unknown helpers) as the interpreter.
      assertSupported(hb.parse(source));
      template = hb.compile(source, { knownHelpers, knownHelpersOnly: true, strict: false, noEscape: !escape });
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(source, template);
    }
    return template;
  }

  return {
    name: 'compiled',
    render(source: string, data: MergeData, options?: { escape?: boolean }): string {
      return templateFor(source, options?.escape ?? true)(data, RUNTIME_OPTIONS);
    },
  };
}
