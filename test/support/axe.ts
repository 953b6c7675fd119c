// axe-core in a Chromium page: WCAG 2.1 A and AA, and best practices. The browser tests fail on serious and critical
// findings; the rest are for a person to judge.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

interface Violation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

/** The installed axe-core, as a script to evaluate in a page. */
export function axeSource(): Promise<string> {
  return readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
}

/** Runs axe-core in the page; returns its serious and critical findings, one line each (empty when there is none). */
export async function seriousViolations(page: Page, source: string): Promise<string[]> {
  await page.evaluate(source);
  const found = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Violation[] }> } }).axe.run;
    const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
