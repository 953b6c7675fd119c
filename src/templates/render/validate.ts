// Checks a template before it is saved: syntax, helpers and features are errors; merge paths
// that match no contact field or declared attribute are warnings (they render empty).
import Handlebars from 'handlebars';
import {
  blockParamIndex,
  classify,
  isScoped,
  KNOWN_HELPERS,
  pathOf,
  unsupportedFeature,
  type BlockParamStack,
  type BlockStatement,
  type CallNode,
  type Expression,
  type Node,
  type PathExpression,
  type Program,
} from './ast.js';
import { SAFE_HELPERS } from './helpers.js';

export interface TemplateError {
  line: number;
  column?: number;
  message: string;
}

export interface TemplateWarning {
  line: number;
  message: string;
  field: string;
}

export interface ValidationResult {
  errors: TemplateError[];
  warnings: TemplateWarning[];
}

export interface ValidateOptions {
  /**
   * Paths a template may use at the root: contact fields ('first_name', 'address', 'address.city'),
   * declared attributes ('attributes.host') and sender variables ('unsubscribe_url').
   * A known path also covers its sub-paths (address → address.city), except 'attributes',
   * which only covers itself so that undeclared attributes are still reported.
   */
  knownFields: readonly string[];
}

// Whether paths resolve against the merge data ('root') or an inner context we cannot type ('inner').
type Scope = 'root' | 'inner';

interface Ctx {
  scopes: Scope[]; // outermost first; `../` walks back from the end
  stack: BlockParamStack;
}

const CONTEXT_CHANGING_HELPERS = new Set(['each', 'with']);
const BLOCK_PARAM_HELPERS = new Set(['each', 'with']);

function lineOf(node: Node): number {
  return node.loc?.start.line ?? 1;
}

/** Line (and column, 1-based) of a parse failure: Handlebars exceptions carry them; jison puts them in the message. */
function syntaxError(error: unknown): TemplateError {
  const e = error as { message?: string; lineNumber?: unknown; column?: unknown };
  const message = String(e.message ?? error);
  if (typeof e.lineNumber === 'number') {
    return {
      line: e.lineNumber,
      column: typeof e.column === 'number' ? e.column + 1 : undefined,
      message: message.replace(/ - \d+:\d+$/, ''),
    };
  }
  const match = /(?:Parse|Lexical) error on line (\d+)/.exec(message);
  const line = match ? Number(match[1]) : 1;
  const lines = message.split('\n');
  const detail = lines.length > 1 ? lines[lines.length - 1] : message;
  // The parser is synchronous and shared: its lexer still holds the failing token's position.
  const loc = (Handlebars as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } })
    .Parser?.lexer?.yylloc;
  const column = loc && loc.first_line === line ? loc.first_column + 1 : undefined;
  const hint = /got 'EOF'/.test(detail) ? ' (a block is probably not closed)' : '';
  return { line, column, message: `Syntax error: ${detail}${hint}` };
}

export function validateTemplateSource(source: string, options: ValidateOptions): ValidationResult {
  const errors: TemplateError[] = [];
  const warnings: TemplateWarning[] = [];
  let ast: Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    errors.push(syntaxError(error));
    return { errors, warnings };
  }

  const known = new Set(options.knownFields);
  const isKnown = (path: string): boolean => {
    if (known.has(path)) return true;
    // Try each proper prefix: a.b.c → a.b, a
    for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
      const prefix = path.slice(0, i);
      if (prefix !== 'attributes' && known.has(prefix)) return true;
    }
    return false;
  };
  const seen = new Set<string>();
  const warn = (node: Node, field: string, message: string): void => {
    const key = `${lineOf(node)}|${field}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push({ line: lineOf(node), field, message });
  };

  function checkRootPath(node: Node, parts: string[]): void {
    if (parts.length === 0) return;
    const field = parts.join('.');
    if (isKnown(field)) return;
    const message = field.startsWith('attributes.')
      ? `"${field}" is not a declared attribute: it will render empty`
      : `"${field}" is not a contact field: it will render empty`;
    warn(node, field, message);
  }

  function checkPath(path: PathExpression, ctx: Ctx): void {
    const depth = path.depth || 0;
    if (path.data) {
      if (path.parts[0] === 'root') checkRootPath(path, path.parts.slice(1));
      return; // @index, @key, @first, @last…
    }
    const name = path.parts[0];
    if (!depth && !isScoped(path) && name !== undefined && blockParamIndex(ctx.stack, name)) return;
    if (path.parts.length === 0) return; // this, .., ../..
    const target = ctx.scopes.length - 1 - depth;
    if (target < 0) {
      warn(path, path.original, `"${path.original}" goes above the root context: it will render empty`);
    } else if (ctx.scopes[target] === 'root') {
      checkRootPath(path, path.parts);
    }
  }

  function checkExpr(expr: Expression, ctx: Ctx): void {
    if (expr.type === 'PathExpression') checkPath(expr as PathExpression, ctx);
    else if (expr.type === 'SubExpression') checkCall(expr as CallNode, ctx);
  }

  /** Returns the helper called, if any. */
  function checkCall(node: CallNode, ctx: Ctx): string | undefined {
    const kind = classify(node, ctx.stack);
    if (kind.kind === 'simple') {
      checkPath(pathOf(node), ctx);
      return undefined;
    }
    if (!KNOWN_HELPERS.has(kind.name)) {
      errors.push({
        line: lineOf(node),
        column: node.loc ? node.loc.start.column + 1 : undefined,
        message: `Unknown helper "${kind.name}": allowed helpers are ${SAFE_HELPERS.join(', ')}`,
      });
    }
    for (const param of node.params ?? []) checkExpr(param, ctx);
    for (const pair of node.hash?.pairs ?? []) checkExpr(pair.value, ctx);
    return kind.name;
  }

  function visit(program: Program, ctx: Ctx): void {
    const inner: Ctx = { scopes: ctx.scopes, stack: [program.blockParams, ...ctx.stack] };
    for (const node of program.body) {
      const feature = unsupportedFeature(node);
      if (feature) {
        errors.push({ line: lineOf(node), column: node.loc ? node.loc.start.column + 1 : undefined, message: feature });
        continue;
      }
      if (node.type === 'MustacheStatement') {
        checkCall(node as CallNode, inner);
      } else if (node.type === 'BlockStatement') {
        const block = node as BlockStatement;
        const helper = checkCall(block, inner);
        // Only #each and #with give values to `as |x|`; elsewhere reading x fails at render time.
        if (block.program?.blockParams?.length && !(helper && BLOCK_PARAM_HELPERS.has(helper))) {
          errors.push({
            line: lineOf(block),
            column: block.loc ? block.loc.start.column + 1 : undefined,
            message: `Block parameters (as |${block.program.blockParams.join(' ')}|) only work with #each and #with`,
          });
        }
        // {{#each}}/{{#with}} and {{#field}} on data run their body in another context.
        const changes = helper === undefined || CONTEXT_CHANGING_HELPERS.has(helper);
        if (block.program) {
          visit(block.program, changes ? { scopes: [...inner.scopes, 'inner'], stack: inner.stack } : inner);
        }
        if (block.inverse) visit(block.inverse, inner);
      }
    }
  }

  visit(ast, { scopes: ['root'], stack: [] });
  errors.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  warnings.sort((a, b) => a.line - b.line);
  return { errors, warnings };
}
