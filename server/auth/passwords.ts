import { hash, verify } from '@node-rs/argon2';
import { ConcurrencyLimit } from './concurrency-limit.ts';

// argon2id with OWASP's recommended minimums (19 MiB, 2 iterations, 1 lane).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };

/**
 * Every hash and verify, server-wide: two at a time bounds argon2's memory (2 × 19 MiB) and leaves
 * libuv's other threads to file and DNS work; a few dozen more may wait, the rest are refused.
 */
const argon2Slots = new ConcurrencyLimit({ concurrency: 2, maxQueue: 64 });

export function hashPassword(password: string): Promise<string> {
  return argon2Slots.run(() => hash(password, options));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return argon2Slots.run(async () => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

/** A fixed hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  // A refused (busy) first attempt must not be remembered as the hash.
  dummyHash ??= hashPassword('not-a-real-password-used-for-timing').catch((err: unknown) => {
    dummyHash = undefined;
    throw err;
  });
  return dummyHash;
}
