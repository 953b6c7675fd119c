import { describe, expect, it } from 'vitest';
import { csrfToken, signToken, verifyCsrf, verifyToken, type TokenClaims } from './tokens.js';

const SECRET = 'workspace-secret-one';
const claims: TokenClaims = { purpose: 'unsubscribe', contactId: 42, messageId: 'a1b2c3d4e5f60718', topicId: 7 };

describe('link tokens', () => {
  it('round-trips the claims of a genuine token', async () => {
    const token = await signToken(SECRET, claims);
    expect(await verifyToken(SECRET, token, 'unsubscribe')).toEqual(claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  });

  it('rejects every single-character change anywhere in the token', async () => {
    const token = await signToken(SECRET, claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let accepted = 0;
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      for (const ch of [alphabet[(alphabet.indexOf(token[i]) + 1) % 64], alphabet[(alphabet.indexOf(token[i]) + 37) % 64]]) {
        const tampered = token.slice(0, i) + ch + token.slice(i + 1);
        if (tampered !== token && (await verifyToken(SECRET, tampered, 'unsubscribe'))) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it("never lets one person's token act on another, another message, topic or purpose", async () => {
    const mine = await signToken(SECRET, claims);
    const theirs = await signToken(SECRET, { ...claims, contactId: 43 });
    // Splicing my payload onto their signature, or the reverse, fails.
    const [myBody, myMac] = mine.split('.');
    const [theirBody, theirMac] = theirs.split('.');
    expect(await verifyToken(SECRET, `${myBody}.${theirMac}`, 'unsubscribe')).toBeUndefined();
    expect(await verifyToken(SECRET, `${theirBody}.${myMac}`, 'unsubscribe')).toBeUndefined();
    // A hand-made payload naming another contact, with my signature, fails.
    const forgedBody = btoa(`u.43.${claims.messageId}.7`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(await verifyToken(SECRET, `${forgedBody}.${myMac}`, 'unsubscribe')).toBeUndefined();
    // An unsubscribe token is not a preferences or confirmation token.
    expect(await verifyToken(SECRET, mine, 'preferences')).toBeUndefined();
    expect(await verifyToken(SECRET, mine, 'confirm')).toBeUndefined();
    // Rotating the workspace secret revokes it.
    expect(await verifyToken('workspace-secret-two', mine, 'unsubscribe')).toBeUndefined();
  });

  it('rejects garbage without throwing', async () => {
    for (const junk of ['', '.', 'a.b.c', 'x'.repeat(400), '%%%.%%%', 'dQ.AAAAAAAAAAAAAAAAAAAAAA', '\u0000.\u0000']) {
      expect(await verifyToken(SECRET, junk, 'unsubscribe')).toBeUndefined();
    }
  });

  it('form tokens belong to one page token', async () => {
    const page = await signToken(SECRET, { ...claims, purpose: 'preferences' });
    const other = await signToken(SECRET, { ...claims, purpose: 'preferences', contactId: 43 });
    const csrf = await csrfToken(SECRET, page);
    expect(await verifyCsrf(SECRET, page, csrf)).toBe(true);
    expect(await verifyCsrf(SECRET, other, csrf)).toBe(false);
    expect(await verifyCsrf(SECRET, page, undefined)).toBe(false);
    expect(await verifyCsrf(SECRET, page, csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A'))).toBe(false);
  });
});
