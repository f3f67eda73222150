import { describe, expect, it } from 'vitest';
import type { AuctionEvent, LotDto } from '$shared/auctions';
import { applyLotEvent, LotEventSequencer, type LotEventTarget } from './lot-events.ts';

const ann = { id: 'u-ann', displayName: 'Ann' };
const ben = { id: 'u-ben', displayName: 'Ben' };

function lot(over: Partial<LotDto> = {}): LotDto {
  return {
    id: 'lot-1', showId: 'show-1', title: 'Vase', description: '', imageUrl: null, currency: 'USD', startingPrice: 1000,
    hasReserve: true, reserveMet: false, durationSeconds: 60, counterBidSeconds: 10, mode: 'standard',
    increments: [{ increment: 100 }], status: 'queued', position: 0, endsAt: null, price: null, leader: null,
    nextMinimum: 1000, bidCount: 0, seq: 0, winnerId: null, ...over
  };
}

const bid = (seq: number, amount: number, bidder = ann): AuctionEvent =>
  ({ seq, at: seq, type: 'bid', bidder, amount, auto: false, endsAt: 60_000 + seq, nextMinimum: amount + 100, reserveMet: amount >= 1500 });

describe('folding an event into its lot', () => {
  it('a start opens the lot with its end time and first minimum', () => {
    const l = lot();
    applyLotEvent(l, { seq: 1, at: 1, type: 'started', endsAt: 61_000, price: null, nextMinimum: 1000 });
    expect(l).toMatchObject({ seq: 1, status: 'live', endsAt: 61_000, nextMinimum: 1000, price: null, bidCount: 0 });
  });

  it('a bid moves price, leader, clock, next minimum and reserve, and counts', () => {
    const l = lot({ status: 'live', seq: 1, endsAt: 61_000 });
    applyLotEvent(l, bid(2, 1200));
    applyLotEvent(l, bid(3, 1500, ben));
    expect(l).toMatchObject({ seq: 3, price: 1500, leader: ben, endsAt: 60_003, nextMinimum: 1600, reserveMet: true, bidCount: 2 });
  });

  it('a counter-bid window moves only the clock', () => {
    const l = lot({ status: 'live', seq: 2, price: 1200, leader: ann, bidCount: 1, endsAt: 61_000 });
    applyLotEvent(l, { seq: 3, at: 3, type: 'resumed', endsAt: 75_000 });
    expect(l).toMatchObject({ seq: 3, endsAt: 75_000, price: 1200, leader: ann, bidCount: 1, status: 'live' });
  });

  it('a close records the result and the winner, or no winner', () => {
    const sold = lot({ status: 'live', seq: 2 });
    applyLotEvent(sold, { seq: 3, at: 3, type: 'closed', result: 'sold', winner: ben, price: 1500 });
    expect(sold).toMatchObject({ seq: 3, status: 'sold', winnerId: 'u-ben' });
    const unsold = lot({ status: 'live', seq: 1 });
    applyLotEvent(unsold, { seq: 2, at: 2, type: 'closed', result: 'unsold', winner: null, price: null });
    expect(unsold).toMatchObject({ seq: 2, status: 'unsold', winnerId: null });
  });
});

/** A room holding one lot at `seq`, with the server's full event log behind it. */
function room(opts: { seq: number; log: AuctionEvent[]; fill?: (afterSeq: number) => Promise<AuctionEvent[]> }) {
  const applied: number[] = [];
  const fills: number[] = [];
  let snapshots = 0;
  let seq = opts.seq;
  const target: LotEventTarget = {
    seqOf: (lotId) => (lotId === 'lot-1' ? seq : null),
    apply: (e) => {
      applied.push(e.seq);
      seq = e.seq;
    },
    eventsAfter: (lotId, afterSeq) => {
      fills.push(afterSeq);
      return opts.fill ? opts.fill(afterSeq) : Promise.resolve(opts.log.filter((e) => e.seq > afterSeq));
    },
    snapshot: async () => {
      snapshots++;
      seq = opts.log.at(-1)?.seq ?? seq;
    }
  };
  return { sequencer: new LotEventSequencer(target), applied, fills, snapshots: () => snapshots, seq: () => seq };
}

const log = (n: number) => Array.from({ length: n }, (_, i) => bid(i + 1, 1000 + 100 * i));

describe('applying pushed auction events in order', () => {
  it('applies events in seq order and ignores what it has already seen', async () => {
    const events = log(4);
    const r = room({ seq: 0, log: events });
    await r.sequencer.receive('lot-1', events.slice(0, 2));
    await r.sequencer.receive('lot-1', events.slice(1, 3));
    await r.sequencer.receive('lot-1', [events[0]!, events[3]!]);
    expect(r.applied).toEqual([1, 2, 3, 4]);
    expect(r.fills).toEqual([]);
    expect(r.snapshots()).toBe(0);
  });

  it('fills a gap from the server once, before applying what came after it', async () => {
    const events = log(6);
    const r = room({ seq: 1, log: events });
    await r.sequencer.receive('lot-1', [events[4]!, events[5]!]);
    expect(r.fills).toEqual([1]);
    expect(r.applied).toEqual([2, 3, 4, 5, 6]);
  });

  it('holds a later batch until the fill for an earlier gap has landed', async () => {
    const events = log(5);
    let release!: () => void;
    const fillReturned = new Promise<void>((resolve) => (release = resolve));
    const r = room({ seq: 1, log: events, fill: async (after) => (await fillReturned, events.filter((e) => e.seq > after && e.seq < 4)) });
    const first = r.sequencer.receive('lot-1', [events[3]!]);
    const second = r.sequencer.receive('lot-1', [events[4]!]);
    await Promise.resolve();
    expect(r.applied).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(r.applied).toEqual([2, 3, 4, 5]);
  });

  it('takes a snapshot when the server cannot fill the gap, and applies nothing out of order', async () => {
    const events = log(5);
    const r = room({ seq: 1, log: events, fill: async () => [events[1]!] });
    await r.sequencer.receive('lot-1', [events[3]!, events[4]!]);
    expect(r.applied).toEqual([2]);
    expect(r.snapshots()).toBe(1);
    expect(r.seq()).toBe(5);
  });

  it('keeps applying later batches after a fill request fails', async () => {
    const events = log(4);
    let fail = true;
    const r = room({ seq: 1, log: events, fill: async (after) => (fail ? Promise.reject(new Error('Not connected.')) : events.filter((e) => e.seq > after)) });
    await r.sequencer.receive('lot-1', [events[3]!]);
    expect(r.applied).toEqual([]);
    fail = false;
    await r.sequencer.receive('lot-1', [events[1]!]);
    await r.sequencer.receive('lot-1', [events[3]!]);
    expect(r.applied).toEqual([2, 3, 4]);
  });

  it('takes a snapshot instead when the events are for a lot it does not hold', async () => {
    const r = room({ seq: 3, log: log(3) });
    await r.sequencer.receive('lot-2', [bid(1, 1000)]);
    expect(r.snapshots()).toBe(1);
    expect(r.applied).toEqual([]);
  });
});
