/** Seeded chunking, so a parser fed in pieces sees reproducible boundaries. */

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `bytes` into chunks of 1..maxSize bytes. */
export function randomChunks(bytes: Uint8Array, seed: number, maxSize: number): Uint8Array[] {
  const next = rng(seed);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(next() * maxSize);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}
