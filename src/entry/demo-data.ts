// A realistic demo customer file for a new embedded database: a tableware maker selling through home parties.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { insertTopic } from '../consent/index.js';
import { declareAttribute, loadCatalogue, prepareContact, recordEvents, saveContacts, type ContactInput, type EventInput } from '../contacts/index.js';
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { addMembers, insertList } from '../segments/index.js';
import { createTemplate, sampleRenderers, type TemplateInput } from '../templates/index.js';
import { getSetting, putSetting } from '../workspace/index.js';

export async function shouldLoadDemoData(db: Database, config: Config, freshDatabase: boolean): Promise<boolean> {
  if (config.demoData === false) return false;
  if ((await getSetting(db, 'demo_data_loaded')) !== undefined) return false;
  // Never into a real PostgreSQL database unless asked with DEMO_DATA=true.
  return config.demoData === true || (freshDatabase && !config.databaseUrl);
}

/** Small deterministic generator, so every new demo database holds the same people. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const FIRST = ['Marie', 'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Sophie', 'Julie', 'Hélène', 'Nathalie', 'Isabelle', 'Émilie', 'Thomas', 'Lucas', 'Hugo', 'Antoine', 'François', 'Zoé', 'Amélie', 'Gaëlle'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard'];
const CITIES_FR = [['Lyon', '69002'], ['Nantes', '44000'], ['Bordeaux', '33000'], ['Lille', '59000'], ['Rennes', '35000'], ['Annecy', '74000']];
const CITIES_CA = [['Montréal', 'H2X 1Y4'], ['Québec', 'G1R 4P5'], ['Sherbrooke', 'J1H 1Z1']];
const AMBASSADORS = ['Maryse', 'Sandrine', 'Claire', 'Valérie'];

export async function loadDemoData(deps: Deps, templatesDir: string): Promise<string> {
  const { db, clock } = deps;
  const now = clock();
  const rand = random(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];

  const attributes = [
    ['host', 'boolean'], ['ambassador', 'text'], ['annual_revenue', 'number'], ['parties', 'number'], ['birthday', 'date'],
    // used by the starter templates
    ['welcome_code', 'text'], ['promo_code', 'text'], ['promo_deadline', 'date'], ['loyalty_balance', 'number'],
  ] as const;
  for (const [name, type] of attributes) {
    await declareAttribute(db, { name, type }, { actor: 'demo-data', at: now });
  }
  await insertTopic(db, { key: 'newsletter', name: 'La lettre des Arts de la Table', names: { en: 'The Tableware Letter' } });
  await insertTopic(db, { key: 'promotions', name: 'Offres et ventes privées', names: { en: 'Offers and private sales' } });
  const catalogue = await loadCatalogue(db);

  const contacts: ContactInput[] = [];
  for (let i = 1; i <= 300; i++) {
    const canadian = rand() < 0.25;
    const [city, postal] = pick(canadian ? CITIES_CA : CITIES_FR);
    const first = pick(FIRST);
    const last = pick(LAST);
    const host = rand() < 0.3;
    const slug = `${first}.${last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const phone = canadian ? `+1514555${String(1000 + i).slice(-4)}` : `+336${String(10000000 + i * 7919).slice(-8)}`;
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    contacts.push({
      external_id: `C-${String(i).padStart(5, '0')}`,
      email: `${slug}.${i}@example.com`,
      phone: rand() < 0.8 ? phone : undefined,
      first_name: first,
      last_name: last,
      locale: canadian ? (rand() < 0.7 ? 'fr-CA' : 'en-CA') : 'fr',
      timezone: canadian ? 'America/Toronto' : 'Europe/Paris',
      address: { line1: `${1 + Math.floor(rand() * 120)} rue des Lilas`, postal_code: postal, city, country: canadian ? 'CA' : 'FR' },
      attributes: {
        host,
        ambassador: pick(AMBASSADORS),
        annual_revenue: Math.round((host ? 400 + rand() * 2600 : rand() * 600) * 100) / 100,
        parties: host ? 1 + Math.floor(rand() * 8) : 0,
        birthday: `${1950 + Math.floor(rand() * 55)}-${month}-${day}`,
        welcome_code: `BIENVENUE${i}`,
        promo_code: 'FETE20',
        promo_deadline: new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10),
        loyalty_balance: Math.round(rand() * 150),
      },
      subscriptions: [
        ...(rand() < 0.85 ? [{ channel: 'email', topic: 'newsletter' }] : []),
        ...(rand() < 0.6 ? [{ channel: 'email', topic: 'promotions' }] : []),
        ...(rand() < 0.5 ? [{ channel: 'sms', topic: 'promotions' }] : []),
        // Hosts get the paper catalogue (no draw: the file stays the same person for person).
        ...(host ? [{ channel: 'postal', topic: 'promotions' }] : []),
      ],
    });
  }
  const prepared = contacts.map((c) => prepareContact(c, catalogue, { creating: true }).prepared!);
  const outcomes = await inTransaction(db, (trx) => saveContacts(trx, prepared, 'import', now));
  const ids = outcomes.flatMap((o) => ('id' in o ? [o.id] : []));

  const events: EventInput[] = [];
  for (const id of ids) {
    const purchases = Math.floor(rand() * 6);
    for (let p = 0; p < purchases; p++) {
      const daysAgo = Math.floor(rand() * 700);
      events.push({
        contact_id: id,
        type: 'purchase',
        occurred_at: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
        value: Math.round((20 + rand() * 280) * 100) / 100,
        properties: { order_id: `O-${id}-${p}`, channel: rand() < 0.7 ? 'party' : 'online' },
        idempotency_key: `demo-${id}-${p}`,
      });
    }
  }
  for (let i = 0; i < events.length; i += 1000) await recordEvents(db, events.slice(i, i + 1000), now);

  const hosts = await insertList(db, 'Hôtesses 2026', now);
  await addMembers(db, Number(hosts.id), ids.filter((_, i) => contacts[i].attributes?.host === true), now);

  const templates = await loadStarterTemplates(templatesDir);
  for (const t of templates) await createTemplate(db, t, now, sampleRenderers(deps.renderer));

  await putSetting(db, 'demo_data_loaded', now.toISOString(), now);
  return `${ids.length} contacts, ${events.length} purchases, ${templates.length} starter templates, 2 topics, 1 list`;
}

/**
 * templates/<name>.json describes a template in its language (`locale`) with its `variants` in others; an email's
 * bodies sit beside it, one per language: <name>.<locale>.mjml.
 */
export async function loadStarterTemplates(dir: string): Promise<TemplateInput[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: TemplateInput[] = [];
  for (const file of files) {
    const meta = JSON.parse(await readFile(join(dir, file), 'utf8')) as TemplateInput;
    // Email and letter templates are MJML, a body per language beside the JSON.
    if (meta.channel === 'email' || meta.channel === 'postal') {
      const body = (locale: string) => readFile(join(dir, file.replace(/\.json$/, `.${locale}.mjml`)), 'utf8');
      meta.mjml = await body(meta.locale ?? 'fr');
      for (const variant of meta.variants ?? []) variant.mjml = await body(variant.locale);
    }
    out.push(meta);
  }
  return out;
}
