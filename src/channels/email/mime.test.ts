import PostalMime, { decodeWords } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMime, quotedPrintable } from './mime.js';
import type { EmailMessage } from '../types.js';

const text = 'Bonjour Zoé,\nVotre réduction de 20 % vous attend 🎄\nÀ bientôt — l’équipe';
const html = `<p>Bonjour Zoé,</p>\n<p style="color:#c00">Votre réduction de 20 % vous attend 🎄</p>\n<p>${'Noël '.repeat(40)}</p>`;

function sampleEmail(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    messageId: 'msg-01J9Z3.abc_42',
    from: { address: 'news@relais.example', name: 'Café Relais' },
    to: { address: 'zoe@example.fr', name: 'Zoé Dupont' },
    replyTo: 'service@relais.example',
    subject: 'Votre réduction de 20 % — Noël',
    text,
    html,
    headers: {
      'List-Unsubscribe': '<https://relais.example/u/3f9a1c0e7b2d4a5f8e6c1b0a9d8e7f6a5b4c3d2e>, <mailto:unsubscribe@relais.example?subject=msg-01J9Z3>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Campaign': 'noël-2026',
    },
    ...overrides,
  };
}

const date = new Date('2026-12-01T09:30:00Z');

function header(parsed: Awaited<ReturnType<typeof PostalMime.parse>>, key: string): string[] {
  return parsed.headers.filter((h) => h.key === key).map((h) => h.value);
}

describe('buildMime', () => {
  it('round-trips headers and both parts through a real parser', async () => {
    const raw = buildMime(sampleEmail(), { domain: 'relais.example', date });
    const parsed = await PostalMime.parse(raw);

    expect(parsed.messageId).toBe('<msg-01J9Z3.abc_42@relais.example>');
    expect(parsed.from).toEqual({ name: 'Café Relais', address: 'news@relais.example' });
    expect(parsed.to).toEqual([{ name: 'Zoé Dupont', address: 'zoe@example.fr' }]);
    expect(parsed.replyTo).toEqual([{ name: '', address: 'service@relais.example' }]);
    expect(parsed.subject).toBe('Votre réduction de 20 % — Noël');
    expect(header(parsed, 'date')).toEqual(['Tue, 01 Dec 2026 09:30:00 +0000']);
    expect(header(parsed, 'mime-version')).toEqual(['1.0']);
    expect(header(parsed, 'list-unsubscribe')).toEqual([sampleEmail().headers['List-Unsubscribe']]);
    expect(header(parsed, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(header(parsed, 'content-type')[0]).toMatch(/^multipart\/alternative; boundary=/);
    // A non-ASCII value of an extra header travels as RFC 2047 words (parsers leave unknown headers raw).
    expect(header(parsed, 'x-campaign').map(decodeWords)).toEqual(['noël-2026']);

    // postal-mime turns CRLF into LF and keeps the line break before each boundary; mimetext puts an
    // empty line there, hence the two trailing newlines.
    expect(parsed.text).toBe(`${text}\n\n`);
    expect(parsed.html).toBe(`${html}\n\n`);
    expect(parsed.attachments).toEqual([]);
  });

  it('ends every line with CRLF and folds lines to 78 characters where it can', () => {
    const raw = buildMime(sampleEmail(), { domain: 'relais.example', date });
    expect(raw.endsWith('\r\n')).toBe(true);
    const lines = raw.slice(0, -2).split('\r\n');
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
    // Only the unbreakable first URL of List-Unsubscribe goes past 78 (998 is the hard limit).
    expect(lines.filter((l) => l.length > 78)).toEqual([
      'List-Unsubscribe: <https://relais.example/u/3f9a1c0e7b2d4a5f8e6c1b0a9d8e7f6a5b4c3d2e>,',
    ]);
    expect(lines).toContain(' <mailto:unsubscribe@relais.example?subject=msg-01J9Z3>');
    // Both parts are UTF-8 quoted-printable, so the message itself is 7-bit.
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    expect(raw.match(/Content-Type: text\/(plain|html); charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
  });

  it('folds a long subject into several encoded-words that decode back exactly', async () => {
    const subject = `Offre spéciale 🎁 : ${'réveillon de Noël, '.repeat(12)}fin`;
    const raw = buildMime(sampleEmail({ subject }), { domain: 'relais.example', date });
    const subjectLines = /Subject: [\s\S]*?\r\n(?=\S)/.exec(raw)![0];
    expect(subjectLines.split('\r\n').length).toBeGreaterThan(3);
    expect((await PostalMime.parse(raw)).subject).toBe(subject);
  });

  it('omits Reply-To when not set and works without display names', async () => {
    const raw = buildMime(
      sampleEmail({ replyTo: undefined, from: { address: 'news@relais.example' }, to: { address: 'a@b.fr' } }),
      { domain: 'relais.example', date },
    );
    expect(raw).not.toMatch(/^Reply-To:/im);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toEqual({ name: '', address: 'news@relais.example' });
    expect(parsed.to).toEqual([{ name: '', address: 'a@b.fr' }]);
  });

  it('refuses header injection, reserved headers and unsafe ids', () => {
    const build = (m: Partial<EmailMessage>) => () => buildMime(sampleEmail(m), { domain: 'relais.example', date });
    expect(build({ headers: { 'X-Evil': 'a\r\nBcc: victim@example.com' } })).toThrow(/line break/);
    expect(build({ headers: { Bcc: 'victim@example.com' } })).toThrow(/cannot be set/);
    expect(build({ headers: { 'Bad Name': 'x' } })).toThrow(/cannot be set/);
    expect(build({ messageId: '../etc/passwd' })).toThrow(/messageId/);
    expect(build({ to: { address: 'zoe@example.fr>\r\nBcc: x@y.z' } })).toThrow(/To address/);
    expect(build({ replyTo: 'not an address' })).toThrow(/Reply-To/);
  });
});

describe('quotedPrintable', () => {
  it('escapes =, non-ASCII and trailing spaces, and soft-breaks without splitting escapes', () => {
    expect(quotedPrintable('a=b é \nfin\t')).toBe('a=3Db =C3=A9=20\r\nfin=09');
    const long = quotedPrintable('é'.repeat(60));
    for (const line of long.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(=[0-9A-F]{2})+=?$/);
    }
  });
});
