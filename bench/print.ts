// `npm run bench:print`: the postal printer's speed. Batches of 50 and 1,000 letters (each an address of 4 lines, an
// object line, 5 short paragraphs and a reply coupon with the QR code of a signed-link-sized URL), printed by
// `printBatch` in fresh processes: the first batch of a process is "cold" (pdf-lib and qrcode load, the JIT is cold),
// the next ones "warm". Prints the medians in ms per letter and the PDFs' sizes.
// ROUNDS_50 / ROUNDS_1000: processes per size (default 5 and 3); WARM: warm batches per process (default 5 and 3).
// BASELINE: another print.ts (a copy of an earlier version, in a copy of src/ so that its imports resolve), measured in
// the same run, its processes taking turns with the current code's, and the ratios given.
// Also measured: loading pdf-lib and qrcode alone in a fresh process, the part of "cold" that is not the printer's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, machine, median } from './stats.js';

interface ChildResult { coldMs: number; warmMs: number[]; bytes: number; pages: number }

const SELF = fileURLToPath(import.meta.url);

/** `count` letters, each different (names, codes, URLs), as a campaign's batch would be. */
function letters(count: number) {
  const streets = ['rue des Lilas', 'avenue Jean Jaurès', 'boulevard de la Libération', 'allée des Peupliers', 'place du Marché'];
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      messageId: `msg-${n}`, contactId: i + 1, lang: (i % 4 === 3 ? 'en' : 'fr') as 'fr' | 'en',
      addressLines: [`Mme Hélène Durand-${n}`, `Résidence Les Tilleuls, Bât. ${i % 7}`, `${(i % 120) + 1} ${streets[i % streets.length]}`, `${String(75001 + (i % 20))} PARIS`],
      subject: 'Votre avoir de printemps',
      text: [
        `Bonjour Hélène,`,
        `Votre avoir de ${10 + (i % 40)} € vous attend dans votre magasin, avec nos vœux « les meilleurs » pour la saison qui commence.`,
        `Présentez ce courrier en caisse avant le 31 mars : le montant sera déduit de vos achats, sans minimum.`,
        `Vous pouvez aussi nous répondre avec le coupon ci-dessous, ou en ligne avec votre code.`,
        `À bientôt,\nL’équipe Relais`,
      ].join('\n\n'),
      coupon: {
        code: `AB${n.slice(1)}CD`.slice(0, 8),
        // A signed link's length: https://host/r/<base64url claims and HMAC>.
        url: `https://relais.example.fr/r/${Buffer.from(`coupon.${i + 1}.msg-${n}.topic-3`).toString('base64url')}.${Buffer.alloc(32, i).toString('base64url')}`,
      },
    };
  });
}

async function child(module: string, count: number, warm: number) {
  const { printBatch } = (await import(module)) as typeof import('../src/channels/postal/print.js');
  const batch = (key: string) => ({ key, letters: letters(count), options: { window: 'left' as const, duplex: false, returnAddress: ['Relais SAS', '1 rue de la Paix', '75002 Paris'] } });
  const run = async (key: string) => {
    const b = batch(key);
    const start = performance.now();
    const printed = await printBatch(b);
    return { ms: performance.now() - start, printed };
  };
  const cold = await run('cold');
  const warmMs: number[] = [];
  for (let r = 0; r < warm; r++) warmMs.push((await run(`warm-${r}`)).ms);
  const result: ChildResult = { coldMs: cold.ms, warmMs, bytes: cold.printed.pdf.length, pages: cold.printed.pages.at(-1)!.last };
  process.stdout.write(JSON.stringify(result));
}

function measure(module: string, count: number, warm: number): ChildResult {
  const out = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', module, String(count), String(warm)], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (out.status !== 0) throw new Error(`child for ${count} letters (${module}) exited with ${out.status}`);
  return JSON.parse(out.stdout) as ChildResult;
}

/** How long a fresh process takes to load the printer's two libraries, as its first print does. */
function loading(): number {
  const out = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--load'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (out.status !== 0) throw new Error(`loading the libraries exited with ${out.status}`);
  return Number(out.stdout);
}

const CURRENT = fileURLToPath(new URL('../src/channels/postal/print.ts', import.meta.url));

if (process.argv[2] === '--load') {
  const start = performance.now();
  await import('@cantoo/pdf-lib');
  await import('qrcode');
  process.stdout.write(String(performance.now() - start));
} else if (process.argv[2] === '--child') {
  await child(pathToFileURL(process.argv[3]).href, Number(process.argv[4]), Number(process.argv[5]));
} else {
  const baseline = process.env.BASELINE;
  const codes = baseline ? [['current', CURRENT], ['baseline', baseline]] : [['current', CURRENT]];
  console.log(`${new Date().toISOString().slice(0, 10)} · ${machine()}${baseline ? ` · baseline: ${baseline}` : ''}`);
  console.log('| code | letters | processes × warm batches | cold: ms per letter (batch) | warm: ms per letter (batch) | PDF size (per letter) | pages |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
  const notes: string[] = [];
  const loads = Array.from({ length: Number(process.env.ROUNDS_50 ?? 5) }, loading);
  notes.push(`loading @cantoo/pdf-lib and qrcode alone, in a fresh process (part of every cold batch): median ${Math.round(median(loads))} ms (${loads.map(Math.round).join(' · ')})`);
  for (const [count, rounds, warm] of [[50, Number(process.env.ROUNDS_50 ?? 5), Number(process.env.WARM ?? 5)], [1000, Number(process.env.ROUNDS_1000 ?? 3), Number(process.env.WARM ?? 3)]]) {
    // The codes take turns, process by process: a machine that slows down for a while slows both.
    const results = new Map<string, ChildResult[]>(codes.map(([name]) => [name, []]));
    for (let r = 0; r < rounds; r++) for (const [name, module] of codes) results.get(name)!.push(measure(module, count, warm));
    const medians = new Map<string, { cold: number; warm: number }>();
    for (const [name] of codes) {
      const runs = results.get(name)!;
      const cold = median(runs.map((x) => x.coldMs));
      const warmAll = runs.flatMap((x) => x.warmMs);
      medians.set(name, { cold, warm: median(warmAll) });
      const { bytes, pages } = runs[0];
      const ms = (x: number) => (x >= 100 ? fmt(x) : x.toFixed(1));
      console.log(`| ${name} | ${fmt(count)} | ${rounds} × ${warm} | ${(cold / count).toFixed(2)} (${ms(cold)} ms) | ${(medians.get(name)!.warm / count).toFixed(2)} (${ms(medians.get(name)!.warm)} ms) | ${(bytes / 1024).toFixed(0)} KiB (${(bytes / count / 1024).toFixed(1)} KiB) | ${pages} |`);
      notes.push(`${name}, ${fmt(count)} letters: cold ${runs.map((x) => Math.round(x.coldMs)).join(' · ')} ms; warm ${warmAll.map((x) => Math.round(x)).join(' · ')} ms`);
    }
    if (baseline) {
      const [now, then] = [medians.get('current')!, medians.get('baseline')!];
      notes.push(`${fmt(count)} letters: current / baseline, cold ${(now.cold / then.cold).toFixed(3)} (${(then.cold / now.cold).toFixed(1)}× faster), warm ${(now.warm / then.warm).toFixed(3)} (${(then.warm / now.warm).toFixed(1)}× faster)`);
    }
  }
  console.log('');
  for (const note of notes) console.log(`- ${note}`);
}
