import { describe, expect, it } from 'vitest';
import { bearerToken, formatToken, hashTokenSecret, newTokenId, newTokenSecret, parseToken, secretMatches } from './api-token-format.ts';

describe('API token format', () => {
  it('round-trips a new token, with the recognisable prefix and the row id inside', () => {
    const id = newTokenId();
    const secret = newTokenSecret();
    const token = formatToken(id, secret);
    expect(token).toMatch(/^hawker_pat_[a-z2-9]{24}_[\w-]{43}$/);
    expect(parseToken(token)).toEqual({ id, secret });
  });

  it('splits at the first underscore after the id, whatever the secret holds', () => {
    const secret = `_${'a'.repeat(40)}_-`;
    expect(parseToken(formatToken('abcdefghijkmnpqrstuvwxyz', secret))).toEqual({ id: 'abcdefghijkmnpqrstuvwxyz', secret });
  });

  it('refuses anything else: other prefixes, sessions, short or long parts, odd characters', () => {
    const good = formatToken(newTokenId(), newTokenSecret());
    for (const bad of ['', 'hawker_pat_', good.replace('hawker_pat_', 'hawker_sk_'), good.slice(0, -1), `${good}x`, `${good}\u0000`, good.replace('_', '.'), ' ' + good, 'abcdefghijkmnpqrstuvwxyz.secret', good.toUpperCase()]) {
      expect(parseToken(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('reads only the Bearer scheme with one token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const bad of ['', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Token abc', 'Bearerabc']) expect(bearerToken(bad), bad).toBeNull();
  });

  it('matches a secret only against its own hash', () => {
    const secret = newTokenSecret();
    const hash = hashTokenSecret(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newTokenSecret(), hash)).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(3))).toBe(false);
  });

  it('makes ids and secrets that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTokenId));
    expect(ids.size).toBe(1000);
    expect(new Set(Array.from({ length: 1000 }, newTokenSecret)).size).toBe(1000);
  });
});
