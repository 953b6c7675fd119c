// A/B tests: what a campaign's test is (its variants, the share of the audience tested, the metric, when to decide),
// how the winner is chosen from each variant's results, and how the API shows both. Pure: the launch, the choice and
// the release are in ab-test.service.ts.
import { z } from '@hono/zod-openapi';
import { isoOrNull, oneOf, validated } from '../http/views.js';

export const AB_METRICS = ['opens', 'clicks', 'conversions'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

/** The longest a test may run before its winner is chosen: 30 days. */
export const MAX_DECIDE_MINUTES = 30 * 24 * 60;

const VariantInput = z
  .object({
    template_id: z.number().int().positive().optional().openapi({ description: 'Another template of the campaign\'s channel; the campaign\'s own when absent' }),
    subject: z.string().trim().min(1).max(998).optional().openapi({ description: 'Email only: replaces the subject of the template (every language of it)' }),
  })
  .strict();

export const AbTestSchema = z
  .object({
    variants: z.array(VariantInput).min(2, { error: 'give 2 to 4 variants' }).max(4, { error: 'give 2 to 4 variants' }).openapi({
      description: 'Variant 1 is the first. `{}` is the campaign\'s template as it is (a control)',
    }),
    test_share_percent: z.number().int({ error: 'must be a whole percentage, 1 to 100' }).min(1, { error: 'must be a whole percentage, 1 to 100' })
      .max(100, { error: 'must be a whole percentage, 1 to 100' })
      .openapi({ description: 'The share of the eligible audience that tests the variants, split evenly; 100 leaves no rest' }),
    metric: z.enum(AB_METRICS).openapi({ description: 'What decides: unique human opens, unique human clicks, or conversions, each over the messages sent per variant' }),
    decide_after_minutes: z.number().int().min(1).max(MAX_DECIDE_MINUTES).openapi({ description: `Minutes after the launch when the winner is chosen (at most ${MAX_DECIDE_MINUTES}, 30 days)` }),
  })
  .strict()
  .openapi('AbTestDefinition');

export type AbTest = z.output<typeof AbTestSchema>;

/** A test as stored (written from validated input). */
export const storedAbTest = (value: unknown): AbTest => validated<AbTest>(AbTestSchema, value);

/** One variant's results, counted over its messages sent (only messages a test group got, or only the rest's). */
export interface VariantResult {
  variant: number;
  sent: number;
  /** Messages opened by a person (machine opens never count), clicked by a person, converted; and their revenue. */
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
}

const hitsOf = (r: VariantResult, metric: AbMetric) => (metric === 'opens' ? r.opened : metric === 'clicks' ? r.clicked : r.converted);

/**
 * The winner: the variant with the highest rate of `metric` over its messages sent (a variant with none sent has a
 * rate of 0); of equal rates, the lowest variant. Rates are compared exactly (a/b > c/d as a·d > c·b), never as
 * rounded decimals. `results` holds every variant, 1…n.
 */
export function pickWinner(results: readonly VariantResult[], metric: AbMetric): number {
  let best = results[0];
  for (const r of results.slice(1)) {
    const [a, b] = [hitsOf(r, metric), r.sent];
    const [c, d] = [hitsOf(best, metric), best.sent];
    // r beats best when a/b > c/d; a variant with nothing sent has rate 0.
    const beats = b === 0 ? false : d === 0 ? a > 0 : a * d > c * b;
    if (beats) best = r;
  }
  return best.variant;
}

/** Every variant 1…n, those with no message yet at zero. */
export function completeResults(variants: number, found: readonly VariantResult[]): VariantResult[] {
  return Array.from({ length: variants }, (_, i) => found.find((r) => r.variant === i + 1) ?? { variant: i + 1, sent: 0, opened: 0, clicked: 0, converted: 0, revenue: 0 });
}

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

const ResultSchema = z.object({
  sent: z.number(), opened: z.number().openapi({ description: 'Messages opened by a person (unique human opens)' }),
  clicked: z.number().openapi({ description: 'Messages clicked by a person (unique human clicks)' }), converted: z.number(), revenue: z.number(),
  rates: z.object({ open: z.number(), click: z.number(), conversion: z.number() }).openapi({ description: 'Over the messages sent, to 4 decimals' }),
});

export const AbTestViewSchema = z
  .object({
    variants: z.array(z.object({ variant: z.number(), template_id: z.number(), subject: z.string().nullable().openapi({ description: 'The subject it replaces the template\'s with; null: the template\'s' }) })),
    test_share_percent: z.number(), metric: z.enum(AB_METRICS), decide_after_minutes: z.number(),
    decide_at: z.string().nullable().openapi({ description: 'When the winner is chosen automatically: the launch + decide_after_minutes; null before the launch' }),
    winner: z.number().nullable(), winner_chosen_at: z.string().nullable(),
    winner_chosen_by: z.enum(['auto', 'manual']).nullable(),
    results: z.array(ResultSchema.extend({ variant: z.number(), winner: z.boolean() })).optional().openapi({
      description: 'Each variant\'s test group (a single campaign\'s read and the report only); the rest that got the winner is not in it',
    }),
    rest: ResultSchema.extend({
      variant: z.number().nullable().openapi({ description: 'The winner they get; null while they wait' }),
      waiting_for_winner: z.number().openapi({ description: 'Messages of the rest still waiting for the winner' }),
    }).optional().openapi({ description: 'The rest of the audience (after the test share), with its own results once it got the winner' }),
  })
  .openapi('AbTest');

export type AbTestView = z.output<typeof AbTestViewSchema>;

/** The test group's and the rest's results, as the campaign and the report show them. */
export interface AbResults {
  variants: VariantResult[];
  rest: Omit<VariantResult, 'variant'> & { waiting: number };
}

const withRates = (r: Omit<VariantResult, 'variant'>) => ({
  sent: r.sent, opened: r.opened, clicked: r.clicked, converted: r.converted, revenue: round2(r.revenue),
  rates: { open: rate(r.opened, r.sent), click: rate(r.clicked, r.sent), conversion: rate(r.converted, r.sent) },
});

/** A campaign's A/B test as the API shows it (null without one); with its results when given. */
export function abTestView(
  c: { template_id: number; ab_test: unknown; ab_decide_at: Date | null; winner: number | null; winner_chosen_at: Date | null; winner_chosen_by: string | null },
  results?: AbResults,
): AbTestView | null {
  if (c.ab_test == null) return null;
  const test = storedAbTest(c.ab_test);
  return {
    variants: test.variants.map((v, i) => ({ variant: i + 1, template_id: v.template_id ?? c.template_id, subject: v.subject ?? null })),
    test_share_percent: test.test_share_percent, metric: test.metric, decide_after_minutes: test.decide_after_minutes,
    decide_at: isoOrNull(c.ab_decide_at), winner: c.winner, winner_chosen_at: isoOrNull(c.winner_chosen_at),
    winner_chosen_by: c.winner_chosen_by === null ? null : oneOf(['auto', 'manual'], c.winner_chosen_by),
    ...(results ? {
      results: results.variants.map((r) => ({ variant: r.variant, ...withRates(r), winner: r.variant === c.winner })),
      rest: { variant: c.winner, ...withRates(results.rest), waiting_for_winner: results.rest.waiting },
    } : {}),
  };
}
