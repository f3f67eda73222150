import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCREMENTS, type AuctionEvent } from '#shared/auctions.ts';
import { LotState, type LogEntry, type LotRules } from './lot-state.ts';

const rules = (over: Partial<LotRules> = {}): LotRules => ({
  sellerId: 'seller',
  currency: 'USD',
  startingPrice: 1000,
  reservePrice: null,
  increments: DEFAULT_INCREMENTS,
  mode: 'standard',
  durationMs: 60_000,
  counterBidMs: 10_000,
  ...over
});
const alice = { id: 'alice', displayName: 'Alice' };
const bob = { id: 'bob', displayName: 'Bob' };
const carol = { id: 'carol', displayName: 'Carol' };

describe('lot rules', () => {
  it('opens at the starting price and steps by the increment table', () => {
    const lot = new LotState(rules());
    lot.start(0);
    expect(lot.nextMinimum).toBe(1000);
    lot.bid(alice, undefined, 1);
    expect([lot.price, lot.leader?.id, lot.nextMinimum]).toEqual([1000, 'alice', 1100]);
    lot.bid(bob, 2500, 2);
    expect(lot.nextMinimum).toBe(2700);
  });

  it('rejects own-lot bids, low bids, bids before start and after close', () => {
    const lot = new LotState(rules());
    expect(() => lot.bid(alice, undefined, 0)).toThrow(/not opened/);
    lot.start(0);
    expect(() => lot.bid({ id: 'seller', displayName: 'S' }, undefined, 1)).toThrow(/own lot/);
    expect(() => lot.bid(alice, 999, 1)).toThrow(/at least 1000/);
    lot.bid(alice, undefined, 1);
    expect(() => lot.bid(alice, 5000, 2)).toThrow(/already the highest/);
    expect(() => lot.bid(bob, undefined, 60_000)).toThrow(/closed/);
    lot.close(60_000);
    expect(() => lot.bid(bob, 99_999, 60_001)).toThrow(/closed/);
  });

  it('soft close: a bid in the last counter-bid seconds resets the clock to that window', () => {
    const lot = new LotState(rules());
    lot.start(0);
    lot.bid(alice, undefined, 30_000);
    expect(lot.endsAt).toBe(60_000);
    lot.bid(bob, undefined, 55_000);
    expect(lot.endsAt).toBe(65_000);
    lot.bid(alice, undefined, 64_999);
    expect(lot.endsAt).toBe(74_999);
  });

  it('sudden death never extends and sells to the last valid bid at zero', () => {
    const lot = new LotState(rules({ mode: 'sudden_death' }));
    lot.start(0);
    lot.bid(alice, undefined, 59_000);
    lot.bid(bob, undefined, 59_999);
    expect(lot.endsAt).toBe(60_000);
    expect(() => lot.bid(alice, undefined, 60_000)).toThrow(/closed/);
    const out = lot.close(60_000);
    expect(out.events[0]).toMatchObject({ type: 'closed', result: 'sold', winner: bob, price: 1100 });
  });

  it('proxy bidding answers for the max holder, one increment above the challenger', () => {
    const lot = new LotState(rules());
    lot.start(0);
    lot.setMax(alice, 5000, 1);
    expect([lot.leader?.id, lot.price]).toEqual(['alice', 1000]);
    const out = lot.bid(bob, 2000, 2);
    expect(out.events.map((e) => e.type === 'bid' && [e.bidder.id, e.amount, e.auto])).toEqual([
      ['bob', 2000, false],
      ['alice', 2200, true]
    ]);
    expect(lot.maxOf('alice')).toBe(5000);
  });

  it('equal maxima go to the earlier one', () => {
    const lot = new LotState(rules());
    lot.start(0);
    lot.setMax(alice, 3000, 1);
    lot.setMax(bob, 3000, 2);
    expect([lot.leader?.id, lot.price]).toEqual(['alice', 3000]);
    const tie = new LotState(rules());
    tie.start(0);
    tie.setMax(alice, 3000, 1);
    tie.bid(bob, 3000, 2);
    expect([tie.leader?.id, tie.price]).toEqual(['alice', 3000]);
  });

  it('is unsold when the reserve is not met, and the reserve is reached by a max bid', () => {
    const lot = new LotState(rules({ reservePrice: 5000 }));
    lot.start(0);
    lot.bid(alice, undefined, 1);
    expect(lot.reserveMet).toBe(false);
    expect(lot.close(60_000).events[0]).toMatchObject({ result: 'unsold', winner: null });
    const met = new LotState(rules({ reservePrice: 5000 }));
    met.start(0);
    met.setMax(alice, 8000, 1);
    expect([met.price, met.reserveMet]).toEqual([5000, true]);
  });
});

type Cmd = { kind: 'bid' | 'tap' | 'max'; who: 0 | 1 | 2 | 3; amount: number; dt: number };
const bidders = [alice, bob, carol, { id: 'seller', displayName: 'Seller' }];
const cmdArb = fc.record({
  kind: fc.constantFrom('bid', 'tap', 'max') as fc.Arbitrary<Cmd['kind']>,
  who: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<Cmd['who']>,
  // A few common amounts make equal maxima (the tie rule) frequent.
  amount: fc.oneof(fc.constantFrom(1000, 1100, 1500, 2000, 3000, 5000), fc.integer({ min: 500, max: 40_000 })),
  dt: fc.integer({ min: 0, max: 9000 })
});

describe('lot invariants under random interleavings', () => {
  it('price never falls, seq is gapless, the highest max wins with ties to the earliest, nothing after close, replay agrees', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { maxLength: 60 }), fc.constantFrom('standard', 'sudden_death'), fc.option(fc.integer({ min: 1000, max: 30_000 }), { nil: null }), (cmds, mode, reserve) => {
        const r = rules({ mode: mode as LotRules['mode'], reservePrice: reserve, durationMs: 60_000 });
        const lot = new LotState(r);
        const log: LogEntry[] = [];
        const events: AuctionEvent[] = [];
        const record = (o: { log: LogEntry[]; events: AuctionEvent[] }) => (log.push(...o.log), events.push(...o.events));
        record(lot.start(0));
        // Independent model of effective maxima: amount and the step at which it was reached.
        const model = new Map<string, { amount: number; step: number }>();
        let now = 0;
        let step = 0;
        for (const c of cmds) {
          now += c.dt;
          const bidder = bidders[c.who]!;
          const wasOver = lot.isOver(now);
          try {
            const before = lot.nextMinimum;
            const out = c.kind === 'max' ? lot.setMax(bidder, c.amount, now) : lot.bid(bidder, c.kind === 'tap' ? undefined : c.amount, now);
            expect(wasOver).toBe(false);
            expect(bidder.id).not.toBe('seller');
            const value = c.kind === 'tap' ? before : c.amount;
            const m = model.get(bidder.id);
            if (!m || value > m.amount) model.set(bidder.id, { amount: value, step: step++ });
            record(out);
          } catch (err) {
            expect((err as Error).name).toBe('AppError');
          }
        }
        const closeAt = Math.max(now, lot.endsAt!);
        record(lot.close(closeAt));
        expect(() => lot.bid(alice, 99_999, closeAt + 1)).toThrow();

        const bids = events.filter((e) => e.type === 'bid');
        for (let i = 1; i < bids.length; i++) expect(bids[i]!.amount).toBeGreaterThanOrEqual(bids[i - 1]!.amount);
        events.forEach((e, i) => expect(e.seq).toBe(i + 1));
        const best = [...model.entries()].sort((a, b) => b[1].amount - a[1].amount || a[1].step - b[1].step)[0];
        if (best) {
          expect(lot.leader?.id).toBe(best[0]);
          expect(lot.price!).toBeLessThanOrEqual(best[1].amount);
        } else {
          expect(lot.leader).toBeNull();
        }
        const closed = events.at(-1)!;
        expect(closed.type === 'closed' && closed.result).toBe(best && (reserve === null || lot.price! >= reserve) ? 'sold' : 'unsold');

        const replayed = LotState.replay(r, log);
        expect(replayed.events).toEqual(events);
        expect([replayed.state.price, replayed.state.leader, replayed.state.status]).toEqual([lot.price, lot.leader, lot.status]);
      }),
      { numRuns: 400 }
    );
  });
});
