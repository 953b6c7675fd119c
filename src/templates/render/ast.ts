// AST facts shared by the interpreter, the compiled renderer and the validator, mirroring how
// Handlebars' compiler (with knownHelpersOnly) classifies expressions, so all three agree.
import { locKey, type BlockSizes } from './budget.js';
import { SAFE_HELPERS } from './helpers.js';

export type Program = hbs.AST.Program;
export type Node = hbs.AST.Node;
export type PathExpression = hbs.AST.PathExpression;
export type SubExpression = hbs.AST.SubExpression;
export type MustacheStatement = hbs.AST.MustacheStatement;
export type BlockStatement = hbs.AST.BlockStatement;
export type Expression = hbs.AST.Expression;
export type Hash = hbs.AST.Hash;

/** Anything with a path, params and an optional hash (mustache, block, sub-expression). */
export type CallNode = MustacheStatement | BlockStatement | SubExpression;

export const KNOWN_HELPERS: ReadonlySet<string> = new Set<string>(SAFE_HELPERS);

export class TemplateFeatureError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, node?: Node) {
    const line = node?.loc?.start.line;
    super(line !== undefined ? `${message} (line ${line})` : message);
    this.name = 'TemplateFeatureError';
    this.line = line;
    this.column = node?.loc ? node.loc.start.column + 1 : undefined;
  }
}

/** Handlebars' scopedId: `this`, `./x` and `this.x` never resolve to helpers or block params. */
export function isScoped(path: PathExpression): boolean {
  return /^\.|this\b/.test(path.original);
}

export function isSimpleId(path: PathExpression): boolean {
  return path.parts.length === 1 && !isScoped(path) && !path.depth;
}

/**
 * `{{"foo"}}` and `{{true}}` as a statement's path become a path named after the literal
 * (the compiler's transformLiteralToPath); done without mutating the cached AST.
 */
export function pathOf(node: CallNode): PathExpression {
  const path = node.path as PathExpression | (hbs.AST.Literal & { original?: unknown });
  if ((path as PathExpression).parts) return path as PathExpression;
  const original = String((path as { original?: unknown }).original);
  return { type: 'PathExpression', data: false, depth: 0, parts: [original], original, loc: path.loc };
}

/** Lexical block-param scopes, innermost first: one entry per Program, like the compiler's stack. */
export type BlockParamStack = ReadonlyArray<readonly string[] | undefined>;

/** [program depth, param index] when `name` is a declared block param in scope. */
export function blockParamIndex(stack: BlockParamStack, name: string): [number, number] | undefined {
  for (let depth = 0; depth < stack.length; depth++) {
    const params = stack[depth];
    const index = params ? params.indexOf(name) : -1;
    if (index >= 0) return [depth, index];
  }
  return undefined;
}

export type CallKind = { kind: 'helper'; name: string } | { kind: 'simple' };

/**
 * Compiler.classifySexpr with knownHelpersOnly: a call with params/hash (or any sub-expression)
 * is a helper; a bare known helper name is a helper; anything else is a value lookup.
 * Unknown helpers are reported through `unknown` (the compiler throws).
 */
export function classify(node: CallNode, stack: BlockParamStack): CallKind {
  const path = pathOf(node);
  const simple = isSimpleId(path);
  const isBlockParam = simple && !!blockParamIndex(stack, path.parts[0]);
  const hasArgs =
    node.type === 'SubExpression' || !!((node.params && node.params.length) || node.hash);
  if (isBlockParam) return { kind: 'simple' };
  if (hasArgs || (simple && KNOWN_HELPERS.has(path.parts[0]))) {
    return { kind: 'helper', name: path.parts[0] };
  }
  return { kind: 'simple' };
}

export function unknownHelperError(name: string, node: Node): TemplateFeatureError {
  return new TemplateFeatureError(`Unknown helper "${name}": only ${SAFE_HELPERS.join(', ')} are allowed`, node);
}

/** Human description of a statement a template may not use, or undefined if it is allowed. */
export function unsupportedFeature(node: Node): string | undefined {
  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'Partials ({{> name}}) are not supported';
    case 'Decorator':
    case 'DecoratorBlock':
      return 'Decorators ({{* name}}) are not supported';
    default:
      return undefined;
  }
}

/**
 * Walk every Program in source order with its block-param stack, for checks done before
 * rendering (unknown helpers, partials, decorators). `visit` sees statements and expressions.
 */
export function walk(
  program: Program,
  visit: (node: Node, stack: BlockParamStack) => void,
  stack: BlockParamStack = [],
): void {
  const inner: BlockParamStack = [program.blockParams, ...stack];
  const expr = (e: Expression | undefined, s: BlockParamStack): void => {
    if (!e) return;
    visit(e, s);
    if (e.type === 'SubExpression') call(e as SubExpression, s);
  };
  const call = (n: CallNode, s: BlockParamStack): void => {
    for (const p of n.params ?? []) expr(p, s);
    for (const pair of n.hash?.pairs ?? []) expr(pair.value, s);
  };
  for (const node of program.body) {
    visit(node, inner);
    if (node.type === 'MustacheStatement') {
      call(node as MustacheStatement, inner);
    } else if (node.type === 'BlockStatement') {
      const block = node as BlockStatement;
      call(block, inner);
      if (block.program) walk(block.program, visit, inner);
      if (block.inverse) walk(block.inverse, visit, inner);
    }
  }
}

/** Throw the first unknown helper, partial or decorator found anywhere in the template. */
export function assertSupported(program: Program): void {
  walk(program, (node, stack) => {
    const feature = unsupportedFeature(node);
    if (feature) throw new TemplateFeatureError(feature, node);
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression') {
      const kind = classify(node as CallNode, stack);
      if (kind.kind === 'helper' && !KNOWN_HELPERS.has(kind.name)) throw unknownHelperError(kind.name, node);
    }
  });
}

/** Statements in each block's bodies, keyed as the budget finds them from a helper's `loc` (see budget.ts). */
export function blockSizes(program: Program): BlockSizes {
  const sizes = new Map<string, { fn: number; inverse: number }>();
  walk(program, (node) => {
    if (node.type !== 'BlockStatement' || !node.loc) return;
    const block = node as BlockStatement;
    sizes.set(locKey(node.loc), { fn: block.program?.body.length ?? 0, inverse: block.inverse?.body.length ?? 0 });
  });
  return sizes;
}
