import type { Notifications } from '../../shared/protocol.ts';

type BatchedName = 'auctionEvents';
type Item = Notifications[BatchedName]['events'][number];

/**
 * Room-wide notifications that may arrive in bursts (bids), serialized once and
 * sent to every peer. When the room is quiet an event goes out on the next turn
 * of the event loop; under load events coalesce into at most one frame per key
 * per tick, so a bid storm costs peers × ticks frames, not peers × bids.
 * Nothing is dropped: a frame carries every event queued since the last one.
 */
export class Fanout {
  readonly #send: (frame: Buffer) => void;
  readonly #tickMs: () => number;
  readonly #pending = new Map<string, Item[]>();
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #lastFlush = 0;

  constructor(opts: { send: (frame: Buffer) => void; tickMs: () => number }) {
    this.#send = opts.send;
    this.#tickMs = opts.tickMs;
  }

  queue(lotId: string, events: readonly Item[]): void {
    if (events.length === 0) return;
    const list = this.#pending.get(lotId);
    if (list) list.push(...events);
    else this.#pending.set(lotId, [...events]);
    if (this.#timer) return;
    const wait = this.#lastFlush + this.#tickMs() - Date.now();
    this.#timer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    this.#timer = null;
    this.#lastFlush = Date.now();
    for (const [lotId, events] of this.#pending) {
      this.#send(Buffer.from(JSON.stringify({ notification: 'auctionEvents', data: { lotId, events } })));
    }
    this.#pending.clear();
  }

  close(): void {
    if (this.#timer) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#timer = null;
    this.#pending.clear();
  }
}
