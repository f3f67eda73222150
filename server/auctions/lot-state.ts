/**
 * The rules of one auction lot as a pure, deterministic state machine. Every
 * accepted command yields log entries (what is stored, in order) and public
 * events (what every client sees). Replaying the stored commands through a fresh
 * LotState reproduces the same state and the same events: that is the audit.
 *
 * Proxy bidding: each bidder has an effective maximum (their highest explicit
 * bid or max bid). The leader is the highest maximum, ties going to whoever
 * reached it first; the price is the least the leader must pay to beat the
 * runner-up (one increment above the runner-up's maximum, capped at the
 * leader's), never below the leader's own explicit bid, and raised to the
 * reserve when the leader's maximum covers it.
 */
import { incrementAt, type AuctionEvent, type IncrementTable, type LotMode, type LotStatus } from '#shared/auctions.ts';
import type { ErrorParams } from '#shared/errors.ts';
import type { Currency } from '#shared/money.ts';
import { AppError } from '../errors.ts';

export interface Bidder {
  id: string;
  displayName: string;
}

export interface LotRules {
  sellerId: string;
  /** Named in errors, so a bidder reads amounts in the lot's money. */
  currency: Currency;
  startingPrice: number;
  reservePrice: number | null;
  increments: IncrementTable;
  mode: LotMode;
  durationMs: number;
  counterBidMs: number;
}

/** A stored command. `auto` bids are results of proxy bidding, stored for readability and checked on replay. */
export type LogEntry =
  | { type: 'start'; at: number }
  | { type: 'bid'; at: number; bidder: Bidder; amount: number; auto: boolean }
  | { type: 'max'; at: number; bidder: Bidder; amount: number }
  | { type: 'close'; at: number }
  | { type: 'cancel'; at: number }
  /** The server came back after a restart: bidders get at least one counter-bid window. */
  | { type: 'resume'; at: number };

export interface Outcome {
  log: LogEntry[];
  events: AuctionEvent[];
}

interface MaxBid {
  bidder: Bidder;
  amount: number;
  /** Order in which this maximum was reached: ties go to the lower. */
  order: number;
  /** The bidder's highest explicit bid; they owe at least this if they win. */
  explicit: number;
}

export class LotState {
  readonly rules: LotRules;
  #status: LotStatus = 'queued';
  #endsAt: number | null = null;
  #price: number | null = null;
  #leader: Bidder | null = null;
  #seq = 0;
  #bidCount = 0;
  #orderCounter = 0;
  readonly #maxes = new Map<string, MaxBid>();

  constructor(rules: LotRules) {
    this.rules = rules;
  }

  get status(): LotStatus {
    return this.#status;
  }
  get endsAt(): number | null {
    return this.#endsAt;
  }
  get price(): number | null {
    return this.#price;
  }
  get leader(): Bidder | null {
    return this.#leader;
  }
  get seq(): number {
    return this.#seq;
  }
  get bidCount(): number {
    return this.#bidCount;
  }
  get reserveMet(): boolean {
    return this.rules.reservePrice === null || (this.#price !== null && this.#price >= this.rules.reservePrice);
  }
  /** The least a new bid must be. */
  get nextMinimum(): number {
    return this.#price === null ? this.rules.startingPrice : this.#price + incrementAt(this.rules.increments, this.#price);
  }
  /** The bidder's own maximum, for their eyes only. */
  maxOf(userId: string): number | null {
    return this.#maxes.get(userId)?.amount ?? null;
  }
  /** Bidders by their maximum, best first (ties to the earlier): the order for second-chance offers. */
  rankedBidders(): { bidder: Bidder; amount: number }[] {
    return this.#ranked().map((m) => ({ bidder: m.bidder, amount: m.amount }));
  }

  isOver(at: number): boolean {
    return this.#status === 'live' && this.#endsAt !== null && at >= this.#endsAt;
  }

  start(at: number): Outcome {
    if (this.#status !== 'queued') throw new AppError('invalid_state', 'This lot has already been started.');
    this.#status = 'live';
    this.#endsAt = at + this.rules.durationMs;
    return { log: [{ type: 'start', at }], events: [this.#event({ at, type: 'started', endsAt: this.#endsAt, price: null, nextMinimum: this.nextMinimum })] };
  }

  /** An explicit bid; `amount` omitted means the next valid amount. */
  bid(bidder: Bidder, amount: number | undefined, at: number): Outcome {
    this.#assertCanBid(bidder, at);
    if (this.#leader?.id === bidder.id) throw new AppError('conflict', 'You are already the highest bidder.', { reason: 'already_leading' });
    const value = amount ?? this.nextMinimum;
    if (value < this.nextMinimum) throw new AppError('bad_request', `Bids must be at least ${this.nextMinimum}.`, this.#money('bid_too_low', this.nextMinimum));
    const out: Outcome = { log: [], events: [] };
    this.#raiseMax(bidder, value, value);
    this.#emitBid(out, bidder, value, false, at);
    this.#settle(out, at);
    return out;
  }

  /** A maximum the server bids up to on the bidder's behalf. */
  setMax(bidder: Bidder, amount: number, at: number): Outcome {
    this.#assertCanBid(bidder, at);
    const own = this.#maxes.get(bidder.id);
    if (own && amount <= own.amount) throw new AppError('bad_request', `Your maximum is already ${own.amount}; raise it or leave it.`, {
        reason: 'max_not_raised',
        amount: own.amount,
        currency: this.rules.currency
      });
    if (this.#leader?.id !== bidder.id && amount < this.nextMinimum) {
      throw new AppError('bad_request', `A maximum must be at least the next bid, ${this.nextMinimum}.`, this.#money('max_too_low', this.nextMinimum));
    }
    const out: Outcome = { log: [{ type: 'max', at, bidder, amount }], events: [] };
    this.#raiseMax(bidder, amount, own?.explicit ?? 0);
    this.#settle(out, at);
    return out;
  }

  resume(at: number): Outcome {
    if (this.#status !== 'live') throw new AppError('invalid_state', 'This lot is not live.', { reason: 'lot_not_live' });
    this.#endsAt = Math.max(this.#endsAt!, at + this.rules.counterBidMs);
    return { log: [{ type: 'resume', at }], events: [this.#event({ at, type: 'resumed', endsAt: this.#endsAt })] };
  }

  close(at: number): Outcome {
    if (this.#status !== 'live') throw new AppError('invalid_state', 'This lot is not live.', { reason: 'lot_not_live' });
    if (this.#endsAt !== null && at < this.#endsAt) throw new AppError('invalid_state', 'This lot has not reached its end time.');
    const sold = this.#leader !== null && this.reserveMet;
    this.#status = sold ? 'sold' : 'unsold';
    return {
      log: [{ type: 'close', at }],
      events: [this.#event({ at, type: 'closed', result: this.#status as 'sold' | 'unsold', winner: sold ? this.#leader : null, price: sold ? this.#price : null })]
    };
  }

  /** The host stops a lot early; nothing is sold. */
  cancel(at: number): Outcome {
    if (this.#status !== 'live' && this.#status !== 'queued') throw new AppError('invalid_state', 'This lot is already closed.');
    this.#status = 'cancelled';
    return { log: [{ type: 'cancel', at }], events: [this.#event({ at, type: 'closed', result: 'cancelled', winner: null, price: null })] };
  }

  /** Rebuilds a lot from its stored log, checking that proxy bids come out as stored. */
  static replay(rules: LotRules, log: readonly LogEntry[]): { state: LotState; events: AuctionEvent[] } {
    const state = new LotState(rules);
    const events: AuctionEvent[] = [];
    const derived: LogEntry[] = [];
    for (const entry of log) {
      if (entry.type === 'bid' && entry.auto) continue;
      const out =
        entry.type === 'start' ? state.start(entry.at)
        : entry.type === 'bid' ? state.bid(entry.bidder, entry.amount, entry.at)
        : entry.type === 'max' ? state.setMax(entry.bidder, entry.amount, entry.at)
        : entry.type === 'close' ? state.close(entry.at)
        : entry.type === 'resume' ? state.resume(entry.at)
        : state.cancel(entry.at);
      derived.push(...out.log);
      events.push(...out.events);
    }
    const key = (e: LogEntry) => JSON.stringify({ ...e, bidder: 'bidder' in e ? e.bidder.id : undefined });
    if (derived.map(key).join('\n') !== log.map(key).join('\n')) {
      throw new Error('The stored bid log does not replay to the same bids.');
    }
    return { state, events };
  }

  #assertCanBid(bidder: Bidder, at: number): void {
    if (bidder.id === this.rules.sellerId) throw new AppError('forbidden', 'You cannot bid on your own lot.');
    if (this.#status === 'queued') throw new AppError('invalid_state', 'Bidding has not opened on this lot yet.');
    if (this.#status !== 'live' || this.isOver(at)) throw new AppError('invalid_state', 'Bidding on this lot has closed.', { reason: 'lot_not_live' });
  }

  #money(reason: 'bid_too_low' | 'max_too_low', min: number): ErrorParams<'bad_request'> {
    return { reason, min, currency: this.rules.currency };
  }

  #raiseMax(bidder: Bidder, amount: number, explicit: number): void {
    const own = this.#maxes.get(bidder.id);
    if (!own) {
      this.#maxes.set(bidder.id, { bidder, amount, order: this.#orderCounter++, explicit });
      return;
    }
    if (amount > own.amount) {
      own.amount = amount;
      own.order = this.#orderCounter++;
    }
    own.explicit = Math.max(own.explicit, explicit);
  }

  #ranked(): MaxBid[] {
    return [...this.#maxes.values()].sort((a, b) => b.amount - a.amount || a.order - b.order);
  }

  /** Moves the visible (leader, price) to what the maxima dictate, emitting the proxy bids that get it there. */
  #settle(out: Outcome, at: number): void {
    const [top, second] = this.#ranked();
    if (!top) return;
    const reserve = this.rules.reservePrice;
    let target = Math.max(top.explicit, this.rules.startingPrice);
    if (second) {
      const beat = second.amount === top.amount ? top.amount : Math.min(top.amount, second.amount + incrementAt(this.rules.increments, second.amount));
      target = Math.max(target, beat);
    }
    if (reserve !== null && top.amount >= reserve) target = Math.max(target, reserve);
    target = Math.max(target, this.#price ?? 0);

    if (this.#leader?.id === top.bidder.id && this.#price === target) return;
    // Show the runner-up's proxy reaching its maximum before the leader answers it.
    if (second && (this.#price === null || second.amount > this.#price) && second.amount < target) {
      this.#emitBid(out, second.bidder, second.amount, true, at);
    }
    this.#emitBid(out, top.bidder, target, true, at);
  }

  #emitBid(out: Outcome, bidder: Bidder, amount: number, auto: boolean, at: number): void {
    this.#leader = bidder;
    this.#price = amount;
    this.#bidCount++;
    // Soft close: a bid in the last counter-bid window resets the clock to that window.
    if (this.rules.mode === 'standard' && this.#endsAt !== null && this.#endsAt - at < this.rules.counterBidMs) {
      this.#endsAt = at + this.rules.counterBidMs;
    }
    out.log.push({ type: 'bid', at, bidder, amount, auto });
    out.events.push(
      this.#event({ at, type: 'bid', bidder, amount, auto, endsAt: this.#endsAt!, nextMinimum: this.nextMinimum, reserveMet: this.reserveMet })
    );
  }

  #event<E extends Omit<AuctionEvent, 'seq'>>(e: E): AuctionEvent {
    return { ...e, seq: ++this.#seq } as unknown as AuctionEvent;
  }
}
