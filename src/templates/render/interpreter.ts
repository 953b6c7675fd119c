// Workers renderer: walks the AST from hb.parse() and never generates code (workerd forbids
// eval/new Function). It calls the very helper functions of the safe environment with options
// built like the Handlebars runtime builds them, so output matches the compiled renderer.
import {
  assertSupported,
  blockParamIndex,
  blockSizes,
  classify,
  isScoped,
  pathOf,
  type BlockParamStack,
  type BlockStatement,
  type CallNode,
  type Expression,
  type MustacheStatement,
  type PathExpression,
  type Program,
  type SubExpression,
  TemplateFeatureError,
} from './ast.js';
import { RenderMeter, RenderSlot, type BlockSizes } from './budget.js';
import { createSafeHandlebars } from './helpers.js';
import type { MergeData, MergeRenderer, RenderOptions } from './types.js';

type Helper = (this: unknown, ...args: unknown[]) => unknown;
type Data = Record<string, unknown> & { _parent?: Data };
type ProgramFn = (context: unknown, options?: { data?: Data; blockParams?: unknown[] }) => string;

/** Block-param values at run time: one link per program invocation, like the runtime's array. */
interface Scope {
  values: unknown[] | undefined;
  parent: Scope | undefined;
}

/** What a program body runs with: the runtime's depth0, depths, data and blockParams. */
interface Frame {
  context: unknown;
  depths: unknown[];
  data: Data;
  scope: Scope | undefined;
  stack: BlockParamStack; // declared names, for classifying paths
  escape: boolean;
  meter: RenderMeter;
}

const hasOwn = Object.prototype.hasOwnProperty;
const MAX_CACHED = 500;

/** The runtime's container.lookupProperty with prototype access off: own properties only. */
export function lookupProperty(parent: unknown, name: string): unknown {
  const result = (parent as Record<string, unknown>)[name];
  if (result == null) return result;
  const isProtoConstructor =
    name === 'constructor' && typeof result === 'function' && parent === (result as { prototype?: unknown }).prototype;
  if (hasOwn.call(parent, name) && !isProtoConstructor) return result;
  return undefined;
}

const noop: ProgramFn = () => '';

export function createInterpretedRenderer(): MergeRenderer {
  const slot = new RenderSlot();
  const hb = createSafeHandlebars(slot);
  const helpers = hb.helpers as unknown as Record<string, Helper>;
  const escapeExpression = hb.Utils.escapeExpression as (value: unknown) => string;
  const nullContext = Object.seal({});
  const cache = new Map<string, { ast: Program; blocks: BlockSizes }>();

  function parsed(source: string): { ast: Program; blocks: BlockSizes } {
    let entry = cache.get(source);
    if (!entry) {
      const ast = hb.parse(source);
      assertSupported(ast);
      entry = { ast, blocks: blockSizes(ast) };
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
      cache.set(source, entry);
    }
    return entry;
  }

  // Handlebars' resolvePath: `falsy` (data paths) stops on any falsy value, else on null/undefined.
  function resolve(value: unknown, parts: string[], start: number, falsy: boolean): unknown {
    let current = value;
    for (let i = start; i < parts.length; i++) {
      if (falsy) current = current && lookupProperty(current, parts[i]);
      else current = current != null ? lookupProperty(current, parts[i]) : current;
    }
    return current;
  }

  function contextAt(frame: Frame, depth: number): unknown {
    return depth ? frame.depths[depth] : frame.context;
  }

  function evalPath(path: PathExpression, frame: Frame): unknown {
    const depth = path.depth || 0;
    const parts = path.parts;
    const name = parts[0];
    const bp = !depth && !isScoped(path) && name !== undefined ? blockParamIndex(frame.stack, name) : undefined;
    if (bp) {
      let scope = frame.scope;
      for (let i = 0; i < bp[0]; i++) scope = scope?.parent;
      // Like the runtime, this throws when the helper passed no block params.
      const values = (scope as Scope).values as unknown[];
      return resolve(values[bp[1]], parts, 1, false);
    }
    if (!name) return contextAt(frame, depth);
    if (path.data) {
      let data: Data | undefined = frame.data;
      for (let i = 0; data && i < depth; i++) data = data._parent;
      return resolve(data, parts, 0, true);
    }
    return resolve(contextAt(frame, depth), parts, 0, false);
  }

  function evalExpr(expr: Expression, frame: Frame): unknown {
    switch (expr.type) {
      case 'PathExpression':
        return evalPath(expr as PathExpression, frame);
      case 'SubExpression':
        return evalCall(expr as SubExpression, frame);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (expr as hbs.AST.StringLiteral).value;
      case 'UndefinedLiteral':
        return undefined;
      case 'NullLiteral':
        return null;
      default:
        throw new TemplateFeatureError(`Unsupported expression ${expr.type}`, expr);
    }
  }

  function evalHash(node: CallNode, frame: Frame): Record<string, unknown> {
    const hash: Record<string, unknown> = {};
    const pairs = node.hash?.pairs ?? [];
    // The compiler assigns pairs last to first, so a repeated key keeps its first value.
    for (let i = pairs.length - 1; i >= 0; i--) hash[pairs[i].key] = evalExpr(pairs[i].value, frame);
    return hash;
  }

  // A child program as the runtime's wrapProgram builds it: a new depth only for a new context.
  function programFn(program: Program | undefined, frame: Frame): ProgramFn | undefined {
    if (!program) return undefined;
    const stack: BlockParamStack = [program.blockParams, ...frame.stack];
    return (context, options = {}) => {
      let depths = frame.depths;
      if (context != frame.depths[0] && !(context === nullContext && frame.depths[0] === null)) {
        depths = [context, ...frame.depths];
      }
      return runBody(program, {
        context,
        depths,
        data: options.data || frame.data,
        scope: { values: options.blockParams, parent: frame.scope },
        stack,
        escape: frame.escape,
        meter: frame.meter,
      });
    };
  }

  function baseOptions(name: string, node: CallNode, frame: Frame, hash: Record<string, unknown>) {
    return {
      name,
      hash,
      data: frame.data,
      loc: node.loc ? { start: node.loc.start, end: node.loc.end } : undefined,
      lookupProperty,
    };
  }

  /** A mustache or sub-expression; blocks pass their programs. */
  function evalCall(node: CallNode, frame: Frame, block?: BlockStatement): unknown {
    const kind = classify(node, frame.stack);
    const fn = block ? programFn(block.program, frame) : undefined;
    const inverse = block ? programFn(block.inverse, frame) : undefined;
    const programs = fn || inverse ? { fn: fn || noop, inverse: inverse || noop } : {};

    if (kind.kind === 'helper') {
      const helper = helpers[kind.name];
      if (typeof helper !== 'function') throw new TemplateFeatureError(`Unknown helper "${kind.name}"`, node);
      const params = (node.params ?? []).map((p) => evalExpr(p, frame));
      const options = { ...baseOptions(kind.name, node, frame, evalHash(node, frame)), ...programs };
      const self = frame.context != null ? frame.context : nullContext;
      return helper.call(self, ...params, options);
    }

    const path = pathOf(node);
    let value = evalPath(path, frame);
    if (typeof value === 'function') value = (value as (this: unknown) => unknown).call(frame.context);
    if (!block) return value;
    // `{{#field}}…{{/field}}` on plain data: the runtime hands the value to blockHelperMissing.
    const options = { ...baseOptions(path.original, node, frame, {}), ...programs };
    return helpers.blockHelperMissing.call(frame.context, value, options);
  }

  /** Runs a body; its start was counted by whoever runs it (render, or the helper's metered fn/inverse). */
  function runBody(program: Program, frame: Frame): string {
    const { meter } = frame;
    let out = '';
    for (const node of program.body) {
      switch (node.type) {
        case 'ContentStatement':
          out += meter.write((node as hbs.AST.ContentStatement).value);
          break;
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const mustache = node as MustacheStatement;
          const value = evalCall(mustache, frame);
          out += meter.write(mustache.escaped && frame.escape ? escapeExpression(value) : value);
          break;
        }
        case 'BlockStatement': {
          const block = node as BlockStatement;
          out += meter.write(evalCall(block, frame, block));
          break;
        }
        default:
          throw new TemplateFeatureError(`Unsupported statement ${node.type}`, node);
      }
    }
    return out;
  }

  return {
    name: 'interpreted',
    render(source: string, data: MergeData, options: RenderOptions = {}): string {
      const { ast, blocks } = parsed(source);
      const meter = options.meter ?? new RenderMeter(options.limits);
      return slot.run({ meter, blocks, format: options.format }, () => {
        meter.enter(ast.body.length);
        // The runtime's initData: the root frame only holds @root.
        return runBody(ast, {
          context: data,
          depths: [data],
          data: { root: data },
          scope: undefined,
          stack: [ast.blockParams],
          escape: options.escape ?? true,
          meter,
        });
      });
    },
  };
}
