import net from 'node:net';

/** Keys kept at most; past it the oldest go first, so a flood of keys cannot grow memory without bound. */
const MAX_KEYS = 100_000;
const FIRST_PRUNE = 10_000;

/**
 * Fixed-window counters in memory, keyed by anything (account, address).
 * Good enough for one process; the window bounds memory by pruning expired keys.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, { count: number; resetAt: number }>();
  #pruneAt = FIRST_PRUNE;

  constructor(opts: { limit: number; windowMs: number; now?: () => number }) {
    this.#limit = opts.limit;
    this.#windowMs = opts.windowMs;
    this.#now = opts.now ?? Date.now;
  }

  /** Counts a hit (of `points`, one unless told); returns false when the key is over its limit for the current window. */
  hit(key: string, points = 1): boolean {
    const now = this.#now();
    let entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.#hits.size >= this.#pruneAt) this.#prune(now);
      entry = { count: 0, resetAt: now + this.#windowMs };
      this.#hits.delete(key);
      this.#hits.set(key, entry);
    }
    entry.count += points;
    return entry.count <= this.#limit;
  }

  /** Hits counted for the key in the current window. */
  count(key: string): number {
    const entry = this.#hits.get(key);
    return entry && entry.resetAt > this.#now() ? entry.count : 0;
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  /** Drops expired keys, then the oldest beyond the cap; scans again only once the map has doubled (amortised). */
  #prune(now: number): void {
    for (const [k, v] of this.#hits) if (v.resetAt <= now) this.#hits.delete(k);
    // Map order is insertion order, and a key is re-inserted when its window restarts: oldest first.
    for (const k of this.#hits.keys()) {
      if (this.#hits.size <= MAX_KEYS * 0.9) break;
      this.#hits.delete(k);
    }
    this.#pruneAt = Math.min(MAX_KEYS, Math.max(FIRST_PRUNE, this.#hits.size * 2));
  }
}

/**
 * The key a per-address limit counts under. One IPv6 subscriber usually holds a whole /64,
 * so IPv6 addresses count by their /64; IPv4 (also when IPv4-mapped) by the address.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(address)) return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
  return address;
}

/** The eight 16-bit groups of an IPv6 address (without a zone or embedded IPv4 tail). */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
