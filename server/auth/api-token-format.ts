import crypto from 'node:crypto';
import { TOKEN_PREFIX } from '#shared/api-tokens.ts';

/**
 * `hawker_pat_<id>_<secret>`: the row id is inside, so a token is looked up by its primary key and only
 * the secret's hash is compared (in constant time), as sessions do. The id's alphabet has no `_`, so the
 * first `_` after the prefix ends it; the secret is 32 random bytes in base64url (43 characters).
 */
const TOKEN_FORM = new RegExp(`^${TOKEN_PREFIX}([a-z2-9]{24})_([A-Za-z0-9_-]{43})$`);

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 24 characters from a 32-letter alphabet: 120 bits. */
export function newTokenId(): string {
  let out = '';
  for (const b of crypto.getRandomValues(new Uint8Array(24))) out += alphabet[b & 31];
  return out;
}

export function newTokenSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

export function formatToken(id: string, secret: string): string {
  return `${TOKEN_PREFIX}${id}_${secret}`;
}

/** The id and secret of a token in the form `formatToken` writes, or null for anything else. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN_FORM.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}
