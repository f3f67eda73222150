import { describe, expect, it } from 'vitest';
import { EventTally, LATE_MS, scanEvents } from './event-tally.ts';

const frame = (events: { seq: number; at: number }[]) =>
  Buffer.from(JSON.stringify({ notification: 'auctionEvents', data: { lotId: 'l1', events: events.map((e) => ({ ...e, type: 'bid', amount: 120 })) } }));

describe('bench event tally', () => {
  it('finds every seq and at in a frame without parsing it', () => {
    const buf = frame([{ seq: 7, at: 1_700_000_000_123 }, { seq: 8, at: 1_700_000_000_456 }]);
    const seen: [number, number][] = [];
    expect(scanEvents(buf, 0, buf.length, (s, a) => seen.push([s, a]))).toBe(2);
    expect(seen).toEqual([[7, 1_700_000_000_123], [8, 1_700_000_000_456]]);
    // Hawker's events carry seq last.
    const seqLast = Buffer.from('{"notification":"auctionEvents","data":{"events":[{"at":5,"type":"bid","seq":1},{"at":6,"type":"bid","seq":2}]}}');
    const again: [number, number][] = [];
    expect(scanEvents(seqLast, 0, seqLast.length, (s, a) => again.push([s, a]))).toBe(2);
    expect(again).toEqual([[1, 5], [2, 6]]);
  });

  it('counts delivered, reordered, lost and late per connection from each frame\'s first and last seq', () => {
    const t = new EventTally(2);
    const feed = (c: number, events: { seq: number; at: number }[], now: number) => {
      const b = frame(events);
      t.frame(c, b, 0, b.length, now);
    };
    feed(0, [{ seq: 1, at: 1000 }, { seq: 2, at: 1005 }], 1010);
    feed(0, [{ seq: 4, at: 1000 }, { seq: 5, at: 1000 }], 1000 + LATE_MS + 1); // 3 never came
    feed(0, [{ seq: 2, at: 1000 }], 3000); // again, out of order
    feed(1, [{ seq: 1, at: 1000 }], 1020);
    expect(t.behind(5)).toBe(1);
    expect(t.lost(5)).toBe(1 + 4); // connection 0 missed 3; connection 1 missed 2..5
    expect(t.totalReordered()).toBe(1);
    expect(t.late).toBe(2);
    expect(t.latency.total).toBe(5);
    // A frame's events are timed as its oldest: both of the first frame took 10 ms.
    expect(t.latency.percentile(40)).toBe(10);
    expect(t.latency.percentile(60)).toBe(20);
    expect(t.frames).toBe(4);
  });
});
