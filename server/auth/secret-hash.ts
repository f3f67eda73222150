import crypto from 'node:crypto';

/**
 * The stored form of a high-entropy secret (a session's, an API token's, a stream key): SHA-256 is enough
 * for 128+ random bits and lets a lookup find the row by id first.
 */
export function hashSecret(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

/** Whether `secret` hashes to `expected`, in time that does not depend on where they differ. */
export function secretMatches(secret: string, expected: Uint8Array): boolean {
  const actual = hashSecret(secret);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}
