import { describe, expect, it } from 'vitest';
import { allows } from './roles.js';
import { generateKey, hashKey } from './keys.service.js';

describe('roles', () => {
  it('follows the written matrix', () => {
    const matrix = {
      admin: { read: true, write: true, admin: true },
      marketer: { read: true, write: true, admin: false },
      analyst: { read: true, write: false, admin: false },
    } as const;
    for (const [role, perms] of Object.entries(matrix)) {
      for (const [perm, want] of Object.entries(perms)) expect(allows(role as never, perm as never), `${role} ${perm}`).toBe(want);
    }
  });
});

describe('keys', () => {
  it('hashes with SHA-256 in hex', async () => {
    // The FIPS 180-2 test vector for "abc".
    expect(await hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates distinct rk_ keys of 32 random bytes', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
  });
});
