// Two renderers share one semantics: the compiled one (Node) and the AST interpreter (Workers,
// where code generation from strings is disallowed).
import type { RenderLimits, RenderMeter } from './budget.js';

export interface RenderOptions {
  /** false leaves values unescaped (SMS, plain text, subjects). Default true. */
  escape?: boolean;
  /**
   * How helpers format dates, numbers and money: the content's language with the recipient's region (`en-CA`), and
   * the recipient's currency (`CAD`). Without them, helpers use @root.locale and EUR.
   */
  format?: { locale?: string; currency?: string };
  /** Counts this render against its budget; a fresh meter with RENDER_LIMITS (or `limits`) otherwise. */
  meter?: RenderMeter;
  limits?: RenderLimits;
}

export interface MergeRenderer {
  readonly name: 'compiled' | 'interpreted';
  /**
   * Merge `data` into a Handlebars `source`, within the rendering budget (budget.ts): RenderBudgetError when the
   * work or the text produced grows past it.
   */
  render(source: string, data: MergeData, options?: RenderOptions): string;
}

export interface MergeData {
  [key: string]: unknown;
  /** The recipient's locale (fr, en, fr-CA, …); helpers format dates and money with it unless told otherwise. */
  locale?: string;
  timezone?: string;
}
