/**
 * Room-wide notifications, serialized once and sent to every peer: what a person did
 * (`now`, at the next turn) and what may arrive in bursts (bids, stock, poll tallies).
 * When the room is quiet a frame goes out on the next turn of the event loop; under load
 * frames coalesce to at most one per key per tick, so a storm costs peers × ticks frames,
 * not peers × events. A big room is reached in slices (see FLUSH_SLICE_MS), in order.
 * `append` keys keep every item (auction events: none may be lost); `latest` keys
 * keep only the newest value (a stock level supersedes the one before).
 */
type Frame = { notification: string; data: unknown };

export interface FanoutTarget {
  sendText(frame: Buffer): void;
}

/** Clients are timed in runs of this many: one clock read per run keeps the timing cheap. */
const TIMED_RUN = 64;
/**
 * How long a flush writes before it lets the event loop turn. A socket write costs tens of
 * microseconds, so one pass over thousands of viewers would hold every request (a buy at a drop's
 * opening, a bid) behind it for a hundred milliseconds; between slices, requests are answered.
 * Slices much shorter than this delay the last viewers more than they help requests.
 */
export const FLUSH_SLICE_MS = 10;

export class Fanout {
  readonly #targets: () => Iterable<FanoutTarget>;
  readonly #tickMs: () => number;
  readonly #delivered: (seconds: number, clients: number) => void;
  /** Each pending item with the time (performance.now()) it was committed. */
  readonly #appends = new Map<string, { items: unknown[]; committed: number[]; frame: (items: unknown[]) => Frame }>();
  readonly #latest = new Map<string, { frame: Frame; committed: number }>();
  /** Frames for every peer at the next turn, ahead of what is coalescing (what a person just did). */
  #now: { frame: Frame; committed: number }[] = [];
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** A flush under way in slices (its next slice, and a way to send the rest at once); the next flush waits for it, so every peer gets frames in order. */
  #unfinished: { slice: NodeJS.Immediate; finish: () => void } | null = null;
  #lastFlush = 0;

  /** `delivered` hears, for runs of clients, how long after its commit each change reached their sockets. */
  constructor(opts: { targets: () => Iterable<FanoutTarget>; tickMs: () => number; delivered?: (seconds: number, clients: number) => void }) {
    this.#targets = opts.targets;
    this.#tickMs = opts.tickMs;
    this.#delivered = opts.delivered ?? (() => {});
  }

  /** `committedAt` (wall clock) times a change committed on another node from its commit, not from its arrival here. */
  append<T>(key: string, items: readonly T[], frame: (items: T[]) => Frame, committedAt?: number): void {
    if (items.length === 0) return;
    const now = Number.isFinite(committedAt) ? performance.now() - Math.max(0, Date.now() - committedAt!) : performance.now();
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

  /** A frame every peer gets as soon as the event loop turns, serialized once, ahead of what is coalescing. */
  now(frame: Frame): void {
    this.#now.push({ frame, committed: performance.now() });
    this.#schedule(true);
  }

  /** Sends everything pending to every peer now, after the rest of a flush under way (last words at shutdown). */
  flush(): void {
    const unfinished = this.#unfinished;
    if (unfinished) {
      clearImmediate(unfinished.slice);
      unfinished.finish();
    }
    this.#cancelTimer();
    this.#flush(true);
  }

  #flush(all: boolean): void {
    this.#timer = null;
    this.#lastFlush = Date.now();
    const frames: Buffer[] = [];
    const committed: number[] = [];
    for (const n of this.#now) frames.push(Buffer.from(JSON.stringify(n.frame))), committed.push(n.committed);
    for (const p of this.#appends.values()) frames.push(Buffer.from(JSON.stringify(p.frame(p.items)))), committed.push(...p.committed);
    for (const l of this.#latest.values()) frames.push(Buffer.from(JSON.stringify(l.frame))), committed.push(l.committed);
    this.#now = [];
    this.#appends.clear();
    this.#latest.clear();
    if (frames.length === 0) return;
    this.#send([...this.#targets()], frames, committed, 0, all);
  }

  close(): void {
    this.#cancelTimer();
    if (this.#unfinished) clearImmediate(this.#unfinished.slice);
    this.#unfinished = null;
    this.#now = [];
    this.#appends.clear();
    this.#latest.clear();
  }

  #send(targets: FanoutTarget[], frames: Buffer[], committed: number[], from: number, all = false): void {
    const until = all ? Infinity : performance.now() + FLUSH_SLICE_MS;
    let end = from;
    let run = 0;
    while (end < targets.length) {
      for (const f of frames) targets[end]!.sendText(f);
      end++;
      if (++run === TIMED_RUN) {
        // The clock read that times this run also ends the slice.
        if (this.#observe(committed, run) >= until) break;
        run = 0;
      }
    }
    if (run > 0 && run < TIMED_RUN) this.#observe(committed, run);
    if (end < targets.length) {
      this.#unfinished = {
        slice: setImmediate(() => this.#send(targets, frames, committed, end)),
        finish: () => this.#send(targets, frames, committed, end, true)
      };
      return;
    }
    this.#unfinished = null;
    if (this.#now.length > 0) this.#schedule(true);
    else if (this.#appends.size > 0 || this.#latest.size > 0) this.#schedule();
  }

  /** Times `clients` that just got the frames; returns the time read. */
  #observe(committed: number[], clients: number): number {
    const now = performance.now();
    for (const at of committed) this.#delivered((now - at) / 1000, clients);
    return now;
  }

  #cancelTimer(): void {
    if (this.#timer) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#timer = null;
  }

  /** `immediate`: at the next turn whatever the tick (a waiting timer is brought forward). */
  #schedule(immediate = false): void {
    if (this.#unfinished) return;
    if (this.#timer && !immediate) return;
    this.#cancelTimer();
    const wait = immediate ? 0 : this.#lastFlush + this.#tickMs() - Date.now();
    this.#timer = wait <= 0 ? setImmediate(() => this.#flush(false)) : setTimeout(() => this.#flush(false), wait);
  }
}
