import type { LotRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger, type Logger } from '../log.ts';
import type { Orders } from '../commerce/orders.ts';
import type { AuctionEvent, LotDto } from '#shared/auctions.ts';
import { LotState, type Bidder, type Outcome } from './lot-state.ts';
import { LotStore } from './lot-store.ts';

export interface AuctionEvents extends Record<string, unknown[]> {
  /** Accepted events, after they are committed. */
  events: [events: AuctionEvent[]];
  closed: [];
}

/**
 * The single writer of one live lot. Node runs each command to completion, so
 * commands are ordered by arrival; each is committed (log + summary, and the
 * winner's order at close) in one SQLite transaction before it is acknowledged
 * or published.
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

  /** Loads a lot from its log (after a restart too) and arms its closing timer. */
  static load(store: LotStore, orders: Orders, row: LotRow): Auction {
    const log = store.log(row.id);
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

  start(now: number): void {
    this.#commit(() => this.#state.start(now));
  }

  resume(now: number): void {
    this.#commit(() => this.#state.resume(now));
  }

  bid(bidder: Bidder, amount: number | undefined, expected: number | undefined, now: number): { seq: number; amount: number } {
    if (amount === undefined && expected !== undefined && this.#state.nextMinimum > expected) {
      throw new AppError('conflict', `The price moved; the next bid is now ${this.#state.nextMinimum}.`, {
        reason: 'price_moved',
        min: this.#state.nextMinimum,
        currency: this.#row.currency
      });
    }
    const out = this.#commit(() => this.#state.bid(bidder, amount, now));
    const own = out.events.find((e) => e.type === 'bid' && e.bidder.id === bidder.id && !e.auto)!;
    return { seq: own.seq, amount: own.type === 'bid' ? own.amount : 0 };
  }

  setMax(bidder: Bidder, amount: number, now: number): number {
    this.#commit(() => this.#state.setMax(bidder, amount, now));
    return this.#state.seq;
  }

  cancel(now: number): void {
    this.#commit(() => this.#state.cancel(now));
  }

  toDto(): LotDto {
    return lotDto(this.#row, this.#state);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #close(now: number): void {
    this.#commit(() => this.#state.close(now));
  }

  /** Applies a command, commits it, then publishes. A failed commit reloads the lot from the database. */
  #commit(apply: () => Outcome): Outcome {
    const out = apply();
    const s = this.#state;
    const finished = s.status !== 'live';
    try {
      this.#store.db.transaction(() => {
        this.#store.append(this.lotId, this.#n, out.log, {
          status: s.status,
          endsAt: s.endsAt,
          price: s.price,
          leaderId: s.leader?.id ?? null,
          seq: s.seq,
          ...(finished ? { closedAt: out.log.at(-1)!.at } : {})
        });
        if (s.status === 'sold') {
          this.#orders.createPending({
            buyerId: s.leader!.id,
            showId: this.showId,
            lotId: this.lotId,
            title: this.#row.title,
            currency: this.#row.currency,
            total: s.price!
          });
        }
      });
    } catch (err) {
      this.#log.error({ err }, 'commit failed; reloading the lot from its log');
      const { state, events } = this.#store.replay(this.#row);
      this.#state = state;
      this.#history = events;
      this.#n = this.#store.log(this.lotId).length;
      throw new AppError('internal', 'The bid could not be saved; please try again.');
    }
    this.#n += out.log.length;
    this.#history.push(...out.events);
    this.emit('events', out.events);
    this.#arm();
    if (finished) {
      this.#log.info({ result: s.status, price: s.price, winner: s.leader?.id }, 'lot closed');
      this.dispose();
      this.emit('closed');
    }
    return out;
  }

  /** One timer per live lot, re-armed whenever the end time moves. */
  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const endsAt = this.#state.endsAt;
    if (this.#state.status !== 'live' || endsAt === null) return;
    this.#timer = setTimeout(() => {
      const now = Date.now();
      if (this.#state.isOver(now)) {
        try {
          this.#close(now);
        } catch (err) {
          this.#log.error({ err }, 'closing failed; retrying');
          this.#timer = setTimeout(() => this.#arm(), 1000);
        }
      } else this.#arm();
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
