// Two renderers share one semantics: the compiled one (Node) and the AST interpreter (Workers,
// where code generation from strings is disallowed).

export interface MergeRenderer {
  readonly name: 'compiled' | 'interpreted';
  /** Merge `data` into a Handlebars `source`. `escape` false leaves values unescaped (SMS, plain text). */
  render(source: string, data: MergeData, options?: { escape?: boolean }): string;
}

export interface MergeData {
  [key: string]: unknown;
  /** The recipient's locale (fr, en, fr-CA, …); helpers format dates and money with it. */
  locale?: string;
  timezone?: string;
}
