/**
 * Room-wide notifications that may arrive in bursts (bids, stock, poll tallies),
 * serialized once and sent to every peer. When the room is quiet a frame goes out
 * on the next turn of the event loop; under load frames coalesce to at most one per
 * key per tick, so a storm costs peers × ticks frames, not peers × events.
 * `append` keys keep every item (auction events: none may be lost); `latest` keys
 * keep only the newest value (a stock level supersedes the one before).
 */
type Frame = { notification: string; data: unknown };

export interface FanoutTarget {
  sendText(frame: Buffer): void;
}

/** Clients are timed in runs of this many: one clock read per run keeps the timing cheap. */
const TIMED_RUN = 64;

export class Fanout {
  readonly #targets: () => Iterable<FanoutTarget>;
  readonly #tickMs: () => number;
  readonly #delivered: (seconds: number, clients: number) => void;
  /** Each pending item with the time (performance.now()) it was committed. */
  readonly #appends = new Map<string, { items: unknown[]; committed: number[]; frame: (items: unknown[]) => Frame }>();
  readonly #latest = new Map<string, { frame: Frame; committed: number }>();
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #lastFlush = 0;

  /** `delivered` hears, for runs of clients, how long after its commit each change reached their sockets. */
  constructor(opts: { targets: () => Iterable<FanoutTarget>; tickMs: () => number; delivered?: (seconds: number, clients: number) => void }) {
    this.#targets = opts.targets;
    this.#tickMs = opts.tickMs;
    this.#delivered = opts.delivered ?? (() => {});
  }

  append<T>(key: string, items: readonly T[], frame: (items: T[]) => Frame): void {
    if (items.length === 0) return;
    const now = performance.now();
    const pending = this.#appends.get(key);
    if (pending) {
      for (const item of items) pending.items.push(item), pending.committed.push(now);
    } else {
      this.#appends.set(key, { items: [...items], committed: items.map(() => now), frame: frame as (items: unknown[]) => Frame });
    }
    this.#schedule();
  }

  latest(key: string, frame: Frame): void {
    this.#latest.set(key, { frame, committed: performance.now() });
    this.#schedule();
  }

  flush(): void {
    this.#timer = null;
    this.#lastFlush = Date.now();
    const frames: Buffer[] = [];
    const committed: number[] = [];
    for (const p of this.#appends.values()) frames.push(Buffer.from(JSON.stringify(p.frame(p.items)))), committed.push(...p.committed);
    for (const l of this.#latest.values()) frames.push(Buffer.from(JSON.stringify(l.frame))), committed.push(l.committed);
    this.#appends.clear();
    this.#latest.clear();
    if (frames.length === 0) return;
    let run = 0;
    for (const target of this.#targets()) {
      for (const f of frames) target.sendText(f);
      if (++run === TIMED_RUN) this.#observe(committed, run), (run = 0);
    }
    if (run > 0) this.#observe(committed, run);
  }

  close(): void {
    if (this.#timer) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#timer = null;
    this.#appends.clear();
    this.#latest.clear();
  }

  #observe(committed: number[], clients: number): void {
    const now = performance.now();
    for (const at of committed) this.#delivered((now - at) / 1000, clients);
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = this.#lastFlush + this.#tickMs() - Date.now();
    this.#timer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }
}
