/**
 * Room-wide notifications that may arrive in bursts (bids, stock, poll tallies),
 * serialized once and sent to every peer. When the room is quiet a frame goes out
 * on the next turn of the event loop; under load frames coalesce to at most one per
 * key per tick, so a storm costs peers × ticks frames, not peers × events.
 * `append` keys keep every item (auction events: none may be lost); `latest` keys
 * keep only the newest value (a stock level supersedes the one before).
 */
type Frame = { notification: string; data: unknown };

export class Fanout {
  readonly #send: (frame: Buffer) => void;
  readonly #tickMs: () => number;
  readonly #appends = new Map<string, { items: unknown[]; frame: (items: unknown[]) => Frame }>();
  readonly #latest = new Map<string, Frame>();
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #lastFlush = 0;

  constructor(opts: { send: (frame: Buffer) => void; tickMs: () => number }) {
    this.#send = opts.send;
    this.#tickMs = opts.tickMs;
  }

  append<T>(key: string, items: readonly T[], frame: (items: T[]) => Frame): void {
    if (items.length === 0) return;
    const pending = this.#appends.get(key);
    if (pending) pending.items.push(...items);
    else this.#appends.set(key, { items: [...items], frame: frame as (items: unknown[]) => Frame });
    this.#schedule();
  }

  latest(key: string, frame: Frame): void {
    this.#latest.set(key, frame);
    this.#schedule();
  }

  flush(): void {
    this.#timer = null;
    this.#lastFlush = Date.now();
    for (const { items, frame } of this.#appends.values()) this.#send(Buffer.from(JSON.stringify(frame(items))));
    for (const frame of this.#latest.values()) this.#send(Buffer.from(JSON.stringify(frame)));
    this.#appends.clear();
    this.#latest.clear();
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

  #schedule(): void {
    if (this.#timer) return;
    const wait = this.#lastFlush + this.#tickMs() - Date.now();
    this.#timer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }
}
