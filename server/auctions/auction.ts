import type { LotRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger, type Logger } from '../log.ts';
import type { Orders } from '../commerce/orders.ts';
import { recordWebhookEvent } from '../webhooks/outbox.ts';
import type { AuctionEvent, LotDto } from '#shared/auctions.ts';
import { LotState, type Bidder, type Outcome } from './lot-state.ts';
import { LotStore } from './lot-store.ts';

export interface AuctionEvents extends Record<string, unknown[]> {
  /** Accepted events, after they are committed. */
  events: [events: AuctionEvent[]];
  closed: [];
}

interface Command {
  apply: () => Outcome;
  resolve: (out: Outcome) => void;
  reject: (err: unknown) => void;
}

/**
 * The single writer of one live lot. Commands apply to the lot's state in the order they arrive and are
 * committed (log + summary, and the winner's order at close) in one transaction before they are
 * acknowledged or published. Commands that arrive while a commit is under way are applied in order
 * and committed together next: one transaction per round, whatever the bid rate.
 */
export class Auction extends TypedEmitter<AuctionEvents> {
  readonly lotId: string;
  readonly showId: string;
  readonly #store: LotStore;
  readonly #orders: Orders;
  readonly #row: LotRow;
  readonly #log: Logger;
  #state: LotState;
  #n: number;
  #history: AuctionEvent[];
  #timer: NodeJS.Timeout | null = null;
  #waiting: Command[] = [];
  #committing = false;
  #disposed = false;
  /** Another node runs the lot now: nothing more is applied or committed here. */
  #abandoned = false;

  /** Loads a lot from its log (after a restart too) and arms its closing timer. */
  static async load(store: LotStore, orders: Orders, row: LotRow): Promise<Auction> {
    const log = await store.log(row.id);
    const { state, events } = LotState.replay(LotStore.rules(row), log);
    return new Auction(store, orders, row, state, log.length, events);
  }

  private constructor(store: LotStore, orders: Orders, row: LotRow, state: LotState, n: number, history: AuctionEvent[]) {
    super();
    this.lotId = row.id;
    this.showId = row.showId;
    this.#store = store;
    this.#orders = orders;
    this.#row = row;
    this.#state = state;
    this.#n = n;
    this.#history = history;
    this.#log = logger('auction').child({ lot: row.id, show: row.showId });
    this.#arm();
  }

  get state(): LotState {
    return this.#state;
  }

  get history(): readonly AuctionEvent[] {
    return this.#history;
  }

  async start(now: number): Promise<void> {
    await this.#run(() => this.#state.start(now));
  }

  async resume(now: number): Promise<void> {
    await this.#run(() => this.#state.resume(now));
  }

  async bid(bidder: Bidder, amount: number | undefined, expected: number | undefined, now: number): Promise<{ seq: number; amount: number }> {
    const out = await this.#run(() => {
      if (amount === undefined && expected !== undefined && this.#state.nextMinimum > expected) {
        throw new AppError('conflict', `The price moved; the next bid is now ${this.#state.nextMinimum}.`, {
          reason: 'price_moved',
          min: this.#state.nextMinimum,
          currency: this.#row.currency
        });
      }
      return this.#state.bid(bidder, amount, now);
    });
    const own = out.events.find((e) => e.type === 'bid' && e.bidder.id === bidder.id && !e.auto)!;
    return { seq: own.seq, amount: own.type === 'bid' ? own.amount : 0 };
  }

  async setMax(bidder: Bidder, amount: number, now: number): Promise<number> {
    let seq = 0;
    await this.#run(() => {
      const out = this.#state.setMax(bidder, amount, now);
      seq = this.#state.seq;
      return out;
    });
    return seq;
  }

  async cancel(now: number): Promise<void> {
    await this.#run(() => this.#state.cancel(now));
  }

  toDto(): LotDto {
    return lotDto(this.#row, this.#state);
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Stops at once: waiting commands are refused as moving; one being committed is kept only if no new owner wrote first. */
  abandon(): void {
    this.#abandoned = true;
    this.dispose();
    const moving = new AppError('unavailable', 'This auction is moving to another server; try again in a moment.');
    for (const c of this.#waiting.splice(0)) c.reject(moving);
  }

  /** Queues a command; it resolves once what it did is committed. */
  #run(apply: () => Outcome): Promise<Outcome> {
    if (this.#abandoned) return Promise.reject(new AppError('unavailable', 'This auction is moving to another server; try again in a moment.'));
    return new Promise<Outcome>((resolve, reject) => {
      this.#waiting.push({ apply, resolve, reject });
      if (!this.#committing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#committing = true;
    try {
      while (this.#waiting.length) await this.#round(this.#waiting.splice(0));
    } finally {
      this.#committing = false;
    }
  }

  /** Applies the waiting commands in order (a refused one changes nothing), commits what they did, then publishes. */
  async #round(batch: Command[]): Promise<void> {
    const accepted: { command: Command; out: Outcome }[] = [];
    for (const command of batch) {
      try {
        accepted.push({ command, out: command.apply() });
      } catch (err) {
        command.reject(err);
      }
    }
    if (!accepted.length) return;
    const s = this.#state;
    const log = accepted.flatMap((a) => a.out.log);
    const events = accepted.flatMap((a) => a.out.events);
    const finished = s.status !== 'live';
    try {
      await this.#store.repo.tx(async () => {
        await this.#store.append(this.lotId, this.#n, log, {
          status: s.status,
          endsAt: s.endsAt,
          price: s.price,
          leaderId: s.leader?.id ?? null,
          seq: s.seq,
          ...(finished ? { closedAt: log.at(-1)!.at } : {})
        });
        if (s.status === 'sold') {
          const order = await this.#orders.createPending({ buyerId: s.leader!.id, showId: this.showId, lotId: this.lotId, title: this.#row.title, currency: this.#row.currency, total: s.price! });
          await this.#recordClose(log.at(-1)!.at, order.id);
        } else if (finished) {
          await this.#recordClose(log.at(-1)!.at, null);
        }
      });
    } catch (err) {
      this.#log.error({ err }, 'commit failed; reloading the lot from its log');
      await this.#reload();
      const failed = new AppError('internal', 'The bid could not be saved; please try again.');
      for (const a of accepted) a.command.reject(failed);
      return;
    }
    this.#n += log.length;
    this.#history.push(...events);
    this.emit('events', events);
    this.#arm();
    if (finished) {
      this.#log.info({ result: s.status, price: s.price, winner: s.leader?.id }, 'lot closed');
      this.dispose();
      this.emit('closed');
    }
    for (const a of accepted) a.command.resolve(a.out);
  }

  /** Reports the lot's end to its seller's webhooks, in the transaction that records it. */
  async #recordClose(closedAt: number, orderId: string | null): Promise<void> {
    const r = this.#row;
    const lot = { id: r.id, showId: r.showId, title: r.title, currency: r.currency, closedAt };
    const event = { hostId: r.sellerId, showId: r.showId, at: closedAt };
    await recordWebhookEvent(this.#store.repo, orderId
      ? { ...event, type: 'lot.sold', data: { lot: { ...lot, price: this.#state.price! }, orderId } }
      : { ...event, type: 'lot.unsold', data: { lot, reason: this.#state.status === 'cancelled' ? 'cancelled' : 'no_sale' } });
  }

  /** The state as the log has it, after a commit that did not happen. */
  async #reload(): Promise<void> {
    try {
      const log = await this.#store.log(this.lotId);
      const { state, events } = LotState.replay(LotStore.rules(this.#row), log);
      this.#state = state;
      this.#history = events;
      this.#n = log.length;
    } catch (err) {
      // The database is away: refuse everything until it answers (the state may be ahead of the log).
      this.#log.error({ err }, 'reloading the lot failed; it is set aside');
      this.dispose();
      this.emit('closed');
    }
  }

  /** One timer per live lot, re-armed whenever the end time moves. */
  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const endsAt = this.#state.endsAt;
    if (this.#disposed || this.#state.status !== 'live' || endsAt === null) return;
    this.#timer = setTimeout(() => {
      const now = Date.now();
      if (!this.#state.isOver(now)) return this.#arm();
      this.#run(() => this.#state.close(now)).catch((err: unknown) => {
        // A bid committed just before moved the end, and its round armed the timer again.
        if (this.#state.status !== 'live' || (err instanceof AppError && err.code === 'invalid_state')) return;
        this.#log.error({ err }, 'closing failed; retrying');
        this.#timer = setTimeout(() => this.#arm(), 1000);
      });
    }, Math.max(0, endsAt - Date.now()));
  }
}

export function lotDto(row: LotRow, state: LotState | null): LotDto {
  return {
    id: row.id,
    showId: row.showId,
    title: row.title,
    description: row.description,
    imageUrl: row.imageUrl,
    currency: row.currency,
    startingPrice: row.startingPrice,
    hasReserve: row.reservePrice !== null,
    reserveMet: state ? state.reserveMet : row.reservePrice === null || (row.price ?? 0) >= row.reservePrice,
    durationSeconds: row.durationMs / 1000,
    counterBidSeconds: row.counterBidMs / 1000,
    mode: row.mode,
    increments: row.increments,
    status: state?.status ?? row.status,
    position: row.position,
    endsAt: state?.endsAt ?? row.endsAt,
    price: state?.price ?? row.price,
    leader: state?.leader ?? null,
    nextMinimum: state?.nextMinimum ?? row.startingPrice,
    bidCount: state?.bidCount ?? 0,
    seq: state?.seq ?? row.seq,
    winnerId: row.status === 'sold' ? row.leaderId : state?.status === 'sold' ? (state.leader?.id ?? null) : null
  };
}
