// A postal campaign to the demo file: the hosts' catalogue letter printed into one PDF per batch under
// OUTBOX_DIR/postal/, with its manifest. The PDF is read back with a PDF text extractor (pdfjs): each recipient's
// address sits inside the DL envelope window of the first page of their letter. A reply coupon scanned (its QR code's
// URL opened) and one typed in through the API count as replies in the report, each once.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '../../src/channels/index.js';
import { startLocalPrintHouse } from '../../src/channels/postal/print-house-test-server.js';
import { loadDemoData } from '../../src/entry/demo-data.js';
import { getSigningSecret, signedLink } from '../../src/links/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createContact, createTemplate, createTopic, launch, mjml } from '../support/fixtures.js';

const MM = 72 / 25.4;
const PAGE_HEIGHT = 841.89;
// The DL window of the French norm, left side: 22 mm from the left, 60 mm from the top, 85.5 × 25.5 mm.
const WINDOW = { left: 22 * MM, right: (22 + 85.5) * MM, top: PAGE_HEIGHT - 60 * MM, bottom: PAGE_HEIGHT - (60 + 25.5) * MM };

interface TextItem { str: string; x: number; y: number; width: number }

async function pagesOf(pdf: Uint8Array): Promise<TextItem[][]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: pdf, verbosity: 0 }).promise;
  const pages: TextItem[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.flatMap((i) => ('str' in i && i.str.trim() ? [{ str: i.str, x: i.transform[4], y: i.transform[5], width: i.width }] : [])));
  }
  await doc.destroy();
  return pages;
}

/** The lines of text wholly inside the window, top to bottom. */
const inWindow = (page: TextItem[]) =>
  page.filter((i) => i.x >= WINDOW.left && i.x + i.width <= WINDOW.right && i.y >= WINDOW.bottom && i.y <= WINDOW.top).sort((a, b) => b.y - a.y).map((i) => i.str);

let t: TestApp;
let campaignId: number;
let incomplete: number;
const hosts = new Map<number, { first_name: string; last_name: string; address: { line1: string; postal_code: string; city: string; country: string } }>();

beforeAll(async () => {
  t = await createTestApp({ SEND_BATCH_SIZE: '50' });
  await loadDemoData(t.deps, join(import.meta.dirname, '../../templates'));
  const lists = (await t.json('GET', '/v1/lists')).body.data as Array<{ id: number; name: string }>;
  const list = lists.find((l) => l.name === 'Hôtesses 2026')!;
  // A host whose address has no postcode: skipped as no_address.
  incomplete = (await createContact(t, { email: 'sans.cp@example.fr', first_name: 'Odile', address: { line1: '3 place du Marché', city: 'Dijon' }, subscriptions: [{ channel: 'postal', topic: 'promotions' }] })).id;
  await t.json('POST', `/v1/lists/${list.id}/members`, { contact_ids: [incomplete] });
  const members = (await t.json('GET', `/v1/contacts?topic=promotions&channel=postal&limit=500`)).body.data as Array<{ id: number; first_name: string; last_name: string; address: never }>;
  for (const m of members) if (m.id !== incomplete) hosts.set(m.id, m);
  const templates = (await t.json('GET', '/v1/templates?limit=100')).body.data as Array<{ id: number; channel: string }>;
  const letter = templates.find((x) => x.channel === 'postal')!;
  const created = await t.json('POST', '/v1/campaigns', { name: 'Catalogue hôtesses', channel: 'postal', template_id: letter.id, topic: 'promotions', audience: { list_ids: [list.id] } });
  expect(created.status).toBe(201);
  expect(created.body.reply_coupon).toBe(true);
  campaignId = created.body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('a postal campaign', () => {
  it('refuses a reply coupon for other channels', async () => {
    const res = await t.json('POST', '/v1/campaigns', { name: 'x', channel: 'email', template_id: 1, topic: 'promotions', audience: { all: true }, reply_coupon: true });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({ field: 'reply_coupon', message: 'only letters carry a reply coupon, not email messages' });
  });

  it('prints one PDF and one manifest per batch, each address in the window of its letter\'s first page', async () => {
    expect(hosts.size).toBeGreaterThan(50);
    const campaign = await launch(t, campaignId);
    expect(campaign.status).toBe('sent');
    expect(campaign.counts).toMatchObject({ sent: hosts.size, skipped: { no_address: 1 } });

    const dir = join(t.outboxDir, 'postal');
    const names = (await readdir(dir)).sort();
    const batches = Math.ceil(hosts.size / 50);
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(batches);
    expect(names.filter((n) => n.endsWith('.csv'))).toHaveLength(batches);
    const recipients = (await t.json('GET', `/v1/campaigns/${campaignId}/recipients?limit=500`)).body.data as Array<{ contact_id: number; message_id: string; state: string }>;
    const messageOf = new Map(recipients.map((r) => [r.message_id, r.contact_id]));

    const seen = new Set<number>();
    for (const name of names.filter((n) => n.endsWith('.pdf'))) {
      expect(name).toMatch(new RegExp(`^${campaignId}-[\\w-]+\\.pdf$`));
      const pages = await pagesOf(new Uint8Array(await readFile(join(dir, name))));
      const rows = parse(await readFile(join(dir, name.replace(/\.pdf$/, '.csv')), 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
      for (const row of rows) {
        const contactId = messageOf.get(row.message_id)!;
        expect(Number(row.contact_id)).toBe(contactId);
        const host = hosts.get(contactId)!;
        seen.add(contactId);
        // The block as the norm writes it, from the contact's own fields.
        const abroad = host.address.country === 'CA';
        const expected = [`${host.first_name} ${host.last_name}`, host.address.line1, `${host.address.postal_code} ${host.address.city.toUpperCase()}`, ...(abroad ? ['CANADA'] : [])];
        expect([row.address_line_1, row.address_line_2, row.address_line_3, row.address_line_4].filter(Boolean)).toEqual(expected);
        // Exactly the block inside the window of the letter's first page, and nothing in the window of its other pages.
        expect(inWindow(pages[Number(row.first_page) - 1]), `page ${row.first_page}`).toEqual(expected);
        for (let n = Number(row.first_page) + 1; n <= Number(row.last_page); n++) expect(inWindow(pages[n - 1])).toEqual([]);
        // The letter's own text and its coupon's code are on its pages.
        const text = pages.slice(Number(row.first_page) - 1, Number(row.last_page)).flat().map((i) => i.str).join(' ');
        expect(text).toContain(host.first_name);
        expect(row.coupon_code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
        expect(text.replace(/\s/g, '')).toContain(row.coupon_code);
      }
    }
    expect([...seen].sort()).toEqual([...hosts.keys()].sort());
  });

  it('counts a scanned reply coupon and one typed in as replies in the report, each once', async () => {
    const recipients = (await t.json('GET', `/v1/campaigns/${campaignId}/recipients?status=sent&limit=2`)).body.data as Array<{ contact_id: number; message_id: string }>;
    const [scanned, typed] = recipients;
    const campaign = (await t.json('GET', `/v1/campaigns/${campaignId}`)).body;
    // What the QR code holds: the coupon link signed for that letter.
    const url = await signedLink(await getSigningSecret(t.deps.db), t.deps.config.publicUrl, { purpose: 'coupon', contactId: scanned.contact_id, messageId: scanned.message_id, topicId: campaign.topic_id });
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/q\//);
    const page = await t.call('GET', path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Merci');
    expect((await t.call('GET', path)).status).toBe(200);
    // A forged token is refused.
    expect((await t.call('GET', `${path.slice(0, -2)}xx`)).status).toBe(404);

    const dir = join(t.outboxDir, 'postal');
    const rows = (await Promise.all((await readdir(dir)).filter((n) => n.endsWith('.csv')).map(async (n) => parse(await readFile(join(dir, n), 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>))).flat();
    const code = rows.find((r) => r.message_id === typed.message_id)!.coupon_code;
    const typedIn = await t.json('POST', '/v1/responses', { code: `${code.slice(0, 4)} ${code.slice(4).toLowerCase()}` });
    expect(typedIn.status).toBe(201);
    expect(typedIn.body).toMatchObject({ kind: 'coupon', message_id: typed.message_id, campaign_id: campaignId, contact_id: typed.contact_id });
    // The scanned one typed in as well: the same reply.
    const scannedCode = rows.find((r) => r.message_id === scanned.message_id)!.coupon_code;
    expect((await t.json('POST', '/v1/responses', { code: scannedCode })).status).toBe(200);
    const report = (await t.json('GET', `/v1/campaigns/${campaignId}/report`)).body;
    expect(report.engagement.replies).toBe(2);
  });
});

describe('through a print house', () => {
  it('uploads each batch with its manifest once, and records its callbacks: a returned letter is a hard bounce', async () => {
    const house = await startLocalPrintHouse('ph_test_key');
    const secret = newWebhookSecret();
    const p = await createTestApp({ PRINT_HOUSE_URL: house.endpoint, PRINT_HOUSE_API_KEY: 'ph_test_key', PRINT_HOUSE_WEBHOOK_SECRET: secret });
    try {
      await createTopic(p, 'catalogue');
      for (const [name, city, postal_code] of [['Anne', 'Lyon', '69002'], ['Bruno', 'Nantes', '44000'], ['Céline', 'Lille', '59000']]) {
        await createContact(p, { external_id: `P-${name}`, first_name: name, address: { line1: '1 rue Neuve', postcode: postal_code, city, country: 'FR' }, subscriptions: [{ channel: 'postal', topic: 'catalogue' }] });
      }
      const template = await createTemplate(p, 'email', { name: 'Lettre', channel: 'postal', subject: 'Votre catalogue', mjml: mjml('Bonjour {{first_name}}') });
      const created = await p.json('POST', '/v1/campaigns', { name: 'Papier', channel: 'postal', template_id: template, topic: 'catalogue', audience: { all: true }, reply_coupon: false });
      expect((await launch(p, created.body.id)).counts).toMatchObject({ sent: 3 });
      const [batch] = house.batches();
      expect(house.batches()).toHaveLength(1);
      expect(batch.manifest.map((r) => [r.address_line_1, r.address_line_3, r.coupon_code])).toEqual([['Anne', '69002 LYON', ''], ['Bruno', '44000 NANTES', ''], ['Céline', '59000 LILLE', '']]);
      expect([batch.window, batch.duplex]).toEqual(['left', 'false']);

      const recipients = (await p.json('GET', `/v1/campaigns/${created.body.id}/recipients`)).body.data as Array<{ message_id: string; contact_id: number }>;
      const reference = recipients[0].message_id;
      const body = JSON.stringify({ type: 'letter.returned', data: { id: batch.letters[reference], reference, at: new Date().toISOString() } });
      const post = (headers: Record<string, string>) => p.call('POST', '/webhooks/print-house', body, { headers: { ...headers, 'content-type': 'application/json' } });
      const signed = signWebhook(secret, 'evt_returned_1', new Date(), body);
      const first = await post(signed);
      expect([first.status, await first.json()]).toEqual([200, { duplicate: false, type: 'bounce', message: 'recorded' }]);
      expect(await (await post(signed)).json()).toEqual({ duplicate: true, type: 'bounce' });
      const forged = await post({ ...signed, 'webhook-signature': 'v1,AAAA' });
      expect(forged.status).toBe(401);
      const report = (await p.json('GET', `/v1/campaigns/${created.body.id}/report`)).body;
      expect(report.funnel.bounced).toEqual({ hard: 1, soft: 0 });
    } finally {
      await p.close();
      await house.stop();
    }
  });
});
