import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import type { Shows } from '../shows/shows.ts';
import type { HeartTotals } from './heart-totals.ts';

export interface HeartsEvents extends Record<string, unknown[]> {
  /** Hearts since the last flush; emitted at most every FLUSH_MS per show. */
  burst: [showId: string, count: number, total: number];
}

const FLUSH_MS = 500;

/**
 * Taps are counted, not forwarded: each show's count goes out at most twice a
 * second however many viewers tap, and a tapper is limited to 10 taps a second.
 */
export class Hearts extends TypedEmitter<HeartsEvents> {
  readonly #pending = new Map<string, number>();
  /** Shows known to exist (tapped before): their taps need no lookup. */
  readonly #known = new Set<string>();
  readonly #totals: HeartTotals;
  readonly #limit: SharedLimit;
  readonly #shows: Shows;
  readonly #timer: NodeJS.Timeout;

  constructor(opts: { shows: Shows; limits: LimitStore; totals: HeartTotals }) {
    super();
    this.#shows = opts.shows;
    this.#totals = opts.totals;
    this.#limit = opts.limits.limit({ name: 'hearts', limit: 10, windowSeconds: 1 });
    this.#timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.#timer.unref();
  }

  async tap(showId: string, tapper: string): Promise<void> {
    if (!(await this.#limit.take(tapper))) throw new AppError('rate_limited', 'Easy on the hearts!');
    // Counts are kept (and flushed into stats rows) only for shows that exist; a show
    // already counted is known, so the lookup happens once per show, not per tap.
    if (!this.#known.has(showId)) {
      await this.#shows.get(showId);
      this.#known.add(showId);
    }
    this.#pending.set(showId, (this.#pending.get(showId) ?? 0) + 1);
  }

  total(showId: string): Promise<number> {
    return this.#totals.get(showId);
  }

  /** Adds the taps since the last flush to their shows' totals and tells each show's burst. */
  async flush(): Promise<void> {
    // Taken before adding: whatever happens next, these taps are counted once.
    const pending = [...this.#pending];
    this.#pending.clear();
    await Promise.all(pending.map(async ([showId, count]) => this.emit('burst', showId, count, await this.#totals.add(showId, count))));
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
