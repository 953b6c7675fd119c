// `npm run bench`: how fast recipients are personalised. Compile MJML once per template version and merge
// per recipient (what the sender does), against running MJML for every recipient (the naive baseline).
import { readFile } from 'node:fs/promises';
import { compileMjml } from '../src/templates/render/mjml.js';
import { createCompiledRenderer } from '../src/templates/render/compiled-renderer.js';
import { createInterpretedRenderer } from '../src/templates/render/interpreter.js';
import { renderContent, textTemplate } from '../src/templates/rendering.js';
import { fmt, machine, median, rates } from './stats.js';

const mjml = await readFile(new URL('../templates/newsletter.fr.mjml', import.meta.url), 'utf8');
const meta = JSON.parse(await readFile(new URL('../templates/newsletter.json', import.meta.url), 'utf8'));

const recipients = Array.from({ length: 1000 }, (_, i) => ({
  id: i, first_name: i % 7 ? `Prénom${i}` : null, last_name: 'Dupont', email: `c${i}@example.fr`, locale: i % 3 ? 'fr' : 'en-CA',
  timezone: 'Europe/Paris', address: { city: 'Lyon' }, attributes: { host: i % 2 === 0, annual_revenue: i * 3.5, parties: i % 5 },
  unsubscribe_url: `https://mail.example.test/u/token${i}`, preferences_url: `https://mail.example.test/p/token${i}`, brand_name: 'Relais',
}));

const compileTimes: number[] = [];
let compiled = '';
for (let i = 0; i < 7; i++) {
  const start = performance.now();
  compiled = (await compileMjml(mjml)).html;
  compileTimes.push(performance.now() - start);
}
const content = { channel: 'email' as const, subject: meta.subject, compiled_html: compiled, text: null, text_template: textTemplate(compiled) };
// Baseline for the text part: html-to-text for every recipient instead of once per template version.
const contentTextEach = { ...content, text_template: null };
const compiledRenderer = createCompiledRenderer();
const interpreted = createInterpretedRenderer();

const ROUNDS = 5;
const mergeCompiled = await rates(ROUNDS, recipients.length, () => {
  for (const r of recipients) compiledRenderer.render(compiled, r, { escape: true });
});
const mergeInterpreted = await rates(ROUNDS, recipients.length, () => {
  for (const r of recipients) interpreted.render(compiled, r, { escape: true });
});
const full = await rates(ROUNDS, recipients.length, () => {
  for (const r of recipients) renderContent(compiledRenderer, content, r);
});
const fullTextEach = await rates(ROUNDS, 200, () => {
  for (const r of recipients.slice(0, 200)) renderContent(compiledRenderer, contentTextEach, r);
});
const fullInterpreted = await rates(ROUNDS, 200, () => {
  for (const r of recipients.slice(0, 200)) renderContent(interpreted, content, r);
});
// Baseline: merge into the MJML source, then MJML for each recipient.
const perRecipientMjml = await rates(ROUNDS, 20, async () => {
  for (const r of recipients.slice(0, 20)) await compileMjml(compiledRenderer.render(mjml, r, { escape: true }));
});

const m = {
  compileMs: median(compileTimes),
  mergeCompiled: median(mergeCompiled),
  mergeInterpreted: median(mergeInterpreted),
  full: median(full),
  fullInterpreted: median(fullInterpreted),
  fullTextEach: median(fullTextEach),
  mjml: median(perRecipientMjml),
};
console.log(`Machine: ${machine()}`);
console.log(`Date: ${new Date().toISOString().slice(0, 10)}; template: templates/newsletter.fr.mjml (${mjml.split('\n').length} lines); medians of ${ROUNDS} rounds`);
console.log('');
console.log('| measure | median | vs MJML per recipient |');
console.log('| --- | --- | --- |');
console.log(`| MJML compile, once per template version | ${m.compileMs.toFixed(1)} ms | |`);
console.log(`| MJML per recipient (baseline) | ${fmt(m.mjml)} renders/s | 1× |`);
console.log(`| merge into compiled HTML, compiled Handlebars (Node) | ${fmt(m.mergeCompiled)} renders/s | ${fmt(m.mergeCompiled / m.mjml)}× |`);
console.log(`| merge into compiled HTML, AST interpreter (Worker) | ${fmt(m.mergeInterpreted)} renders/s | ${fmt(m.mergeInterpreted / m.mjml)}× |`);
console.log(`| whole message: subject + HTML + text part, compiled | ${fmt(m.full)} messages/s | ${fmt(m.full / m.mjml)}× |`);
console.log(`| whole message, text part converted per recipient (html-to-text each time) | ${fmt(m.fullTextEach)} messages/s | ${fmt(m.fullTextEach / m.mjml)}× |`);
console.log(`| whole message: subject + HTML + text part, interpreter | ${fmt(m.fullInterpreted)} messages/s | ${fmt(m.fullInterpreted / m.mjml)}× |`);
