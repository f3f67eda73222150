import { describe, expect, it } from 'vitest';
import { newTokenSecret } from './api-token-format.ts';
import { hashSecret, secretMatches } from './secret-hash.ts';

describe('secret hashes', () => {
  it('matches a secret only against its own hash', () => {
    const secret = newTokenSecret();
    const hash = hashSecret(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newTokenSecret(), hash)).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(3))).toBe(false);
  });

});
