import { describe, expect, it, vi } from 'vitest';
import { FLUSH_SLICE_MS, Fanout } from './fanout.ts';

/** `writeMs`: what each socket write costs (spent busy, as a real write is). */
function room(peers: number, writeMs = 0) {
  const got: string[][] = Array.from({ length: peers }, () => []);
  const delivered: { seconds: number; clients: number }[] = [];
  const write = (frames: string[], f: Buffer) => {
    const until = performance.now() + writeMs;
    while (performance.now() < until);
    frames.push(f.toString());
  };
  const fanout = new Fanout({
    targets: () => got.map((frames) => ({ sendText: (f: Buffer) => write(frames, f) })),
    tickMs: () => 50,
    delivered: (seconds, clients) => delivered.push({ seconds, clients })
  });
  return { got, delivered, fanout };
}

describe('room fan-out', () => {
  it('sends each coalesced frame once to every peer, appends in order, and only the latest of a kind', () => {
    const { got, fanout } = room(3);
    const frame = (items: number[]) => ({ notification: 'auctionEvents', data: { events: items } });
    fanout.append('lot:1', [1, 2], frame);
    fanout.append('lot:1', [3], frame);
    fanout.latest('stock:p', { notification: 'stock', data: { left: 5 } });
    fanout.latest('stock:p', { notification: 'stock', data: { left: 4 } });
    fanout.flush();
    for (const frames of got) {
      expect(frames.map((f) => JSON.parse(f))).toEqual([frame([1, 2, 3]), { notification: 'stock', data: { left: 4 } }]);
    }
  });

  it('times every change for every client it reached, in runs of clients', () => {
    const { delivered, fanout } = room(150);
    fanout.append('lot:1', ['a', 'b'], (items) => ({ notification: 'auctionEvents', data: items }));
    fanout.latest('stock:p', { notification: 'stock', data: 1 });
    fanout.flush();
    // Three changes, each reaching 150 clients.
    expect(delivered.reduce((n, d) => n + d.clients, 0)).toBe(3 * 150);
    for (const d of delivered) expect(d.seconds).toBeGreaterThanOrEqual(0);
  });

  it('sends and times nothing when nothing is pending', () => {
    const { got, delivered, fanout } = room(2);
    fanout.flush();
    expect(got.flat()).toEqual([]);
    expect(delivered).toEqual([]);
  });

  it('reaches a big room in slices, answering other work between them, and keeps every peer’s frames in order', async () => {
    // Each write costs a tenth of a millisecond: the room takes three slices or more.
    const writeMs = 0.1;
    const peers = Math.ceil((3 * FLUSH_SLICE_MS) / writeMs);
    const { got, fanout } = room(peers, writeMs);
    fanout.latest('stock:p', { notification: 'stock', data: 1 });
    await new Promise((r) => setImmediate(r));
    const reached = got.filter((f) => f.length > 0).length;
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(peers);
    // A change made while the first flush is under way goes out after it, to every peer.
    fanout.latest('stock:p', { notification: 'stock', data: 2 });
    await vi.waitFor(() => {
      for (const frames of got) expect(frames.map((f) => JSON.parse(f).data)).toEqual([1, 2]);
    });
    fanout.close();
  });

  it('sends the rest of a flush under way, and what is pending, at once when flushed (last words at shutdown)', async () => {
    const { got, fanout } = room(Math.ceil((2 * FLUSH_SLICE_MS) / 0.1), 0.1);
    fanout.latest('stock:p', { notification: 'stock', data: 1 });
    await new Promise((r) => setImmediate(r));
    expect(got.at(-1)).toEqual([]);
    fanout.latest('stock:p', { notification: 'stock', data: 2 });
    fanout.flush();
    for (const frames of got) expect(frames.map((f) => JSON.parse(f).data)).toEqual([1, 2]);
  });

  it('sends what a person did at the next turn, ahead of what is coalescing, without waiting for the tick', async () => {
    const { got, fanout } = room(2);
    fanout.latest('stock:p', { notification: 'stock', data: 1 });
    await new Promise((r) => setImmediate(r));
    // Within the tick after that flush: a level waits for the tick, a person's action does not.
    fanout.latest('stock:p', { notification: 'stock', data: 2 });
    fanout.now({ notification: 'lotChanged', data: 'sold' });
    await new Promise((r) => setImmediate(r));
    for (const frames of got) expect(frames.map((f) => JSON.parse(f).notification)).toEqual(['stock', 'lotChanged', 'stock']);
    fanout.close();
  });
});
