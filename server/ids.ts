import crypto from 'node:crypto';

/** URL-safe random identifiers for rows (16 bytes, base64url). */
export function newId(): string {
  return crypto.randomBytes(16).toString('base64url');
}
