import { describe, expect, it } from 'vitest';
import { formatToken, newTokenId, newTokenSecret, parseToken } from './api-token-format.ts';

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

  it('makes ids and secrets that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTokenId));
    expect(ids.size).toBe(1000);
    expect(new Set(Array.from({ length: 1000 }, newTokenSecret)).size).toBe(1000);
  });
});
