import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxEmailTransport, createOutboxSmsTransport } from './outbox.js';
import type { EmailMessage } from './types.js';

const clock = () => new Date('2026-12-01T09:30:00.000Z');

const email: EmailMessage = {
  messageId: 'em-7f3a',
  from: { address: 'news@relais.example', name: 'Café Relais' },
  to: { address: 'zoe@example.fr', name: 'Zoé' },
  subject: 'Votre réduction de 20 % — Noël',
  text: 'Bonjour Zoé 🎄',
  html: '<p>Bonjour Zoé 🎄</p>',
  headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'relais-outbox-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('outbox email transport', () => {
  it('creates the folder and writes <messageId>.eml with the MIME message', async () => {
    const dir = join(root, 'nested', 'outbox');
    const transport = createOutboxEmailTransport({ dir, domain: 'relais.example', clock });
    expect(transport.name).toBe('outbox');

    const result = await transport.send(email);
    expect(result).toEqual({ providerMessageId: 'em-7f3a.eml' });
    expect(await readdir(dir)).toEqual(['em-7f3a.eml']); // no temp file left behind

    const raw = await readFile(join(dir, 'em-7f3a.eml'), 'utf8');
    expect(raw).toContain('\r\n');
    const parsed = await PostalMime.parse(raw);
    expect(parsed.messageId).toBe('<em-7f3a@relais.example>');
    expect(parsed.date).toBe('2026-12-01T09:30:00.000Z');
    expect(parsed.from).toEqual({ name: 'Café Relais', address: 'news@relais.example' });
    expect(parsed.to).toEqual([{ name: 'Zoé', address: 'zoe@example.fr' }]);
    expect(parsed.subject).toBe('Votre réduction de 20 % — Noël');
    expect(parsed.text).toBe('Bonjour Zoé 🎄\n\n');
    expect(parsed.html).toBe('<p>Bonjour Zoé 🎄</p>\n\n');
  });

  it('replaces the file when the same message is sent again, and survives concurrent sends', async () => {
    const transport = createOutboxEmailTransport({ dir: root, domain: 'relais.example', clock });
    await Promise.all([
      transport.send(email),
      transport.send({ ...email, subject: 'Deuxième' }),
      ...Array.from({ length: 20 }, (_, i) => transport.send({ ...email, messageId: `em-${i}` })),
    ]);
    const files = (await readdir(root)).sort();
    expect(files).toHaveLength(21);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    const subject = (await PostalMime.parse(await readFile(join(root, 'em-7f3a.eml')))).subject;
    expect(['Votre réduction de 20 % — Noël', 'Deuxième']).toContain(subject);
  });

  it('refuses a messageId that would escape the folder', async () => {
    const transport = createOutboxEmailTransport({ dir: root, domain: 'relais.example', clock });
    await expect(transport.send({ ...email, messageId: '../x' })).rejects.toThrow(/messageId/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('outbox SMS transport', () => {
  it('writes <messageId>.json with the message and its creation time', async () => {
    const transport = createOutboxSmsTransport({ dir: join(root, 'sms'), clock });
    expect(transport.name).toBe('outbox');
    const result = await transport.send({
      messageId: 'sms-1',
      from: 'RELAIS',
      to: '+33612345678',
      text: 'Noël : -20 % ce week-end ! STOP au 36xxx',
      encoding: 'UCS-2',
      segments: 1,
    });
    expect(result).toEqual({ providerMessageId: 'sms-1.json' });
    const json = JSON.parse(await readFile(join(root, 'sms', 'sms-1.json'), 'utf8'));
    expect(json).toEqual({
      to: '+33612345678',
      from: 'RELAIS',
      text: 'Noël : -20 % ce week-end ! STOP au 36xxx',
      encoding: 'UCS-2',
      segments: 1,
      message_id: 'sms-1',
      created_at: '2026-12-01T09:30:00.000Z',
    });
  });

  it('refuses a messageId that would escape the folder', async () => {
    const transport = createOutboxSmsTransport({ dir: root, clock });
    await expect(
      transport.send({ messageId: '../../x', from: 'R', to: '+33600000000', text: 'a', encoding: 'GSM-7', segments: 1 }),
    ).rejects.toThrow(/messageId/);
  });
});
