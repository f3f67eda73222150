import type { MediaOrigin } from './media-origins.ts';

/**
 * Origin lookups kept for a moment, answered or not: a node's LL-HLS players of another node's show
 * cost Redis one read a second rather than one per request, and so do requests for shows no node has.
 * Bounded, so requests naming endless made-up shows cannot grow it.
 */
export class RecentOrigins {
  readonly #lookup: (showId: string) => Promise<MediaOrigin | null>;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { until: number; origin: Promise<MediaOrigin | null> }>();

  constructor(lookup: (showId: string) => Promise<MediaOrigin | null>, opts: { ttlMs?: number; max?: number } = {}) {
    this.#lookup = lookup;
    this.#ttlMs = opts.ttlMs ?? 1000;
    this.#max = opts.max ?? 10_000;
  }

  of(showId: string): Promise<MediaOrigin | null> {
    const now = Date.now();
    const kept = this.#entries.get(showId);
    if (kept && kept.until > now) return kept.origin;
    this.#entries.delete(showId);
    // The oldest entry goes first: a Map iterates in insertion order.
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    const origin = this.#lookup(showId);
    this.#entries.set(showId, { until: now + this.#ttlMs, origin });
    return origin;
  }

  /** The show's origin changed or moved: the next request looks again. */
  forget(showId: string): void {
    this.#entries.delete(showId);
  }
}
