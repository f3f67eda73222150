import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit.ts';

describe('ConcurrencyLimit', () => {
  it('runs at most its concurrency at once, queues the next ones in order and refuses beyond the queue', async () => {
    const limit = new ConcurrencyLimit({ concurrency: 2, maxQueue: 2 });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        order.push(n);
        gates.push(() => (running -= 1, resolve(n)));
      });
    const runs = [1, 2, 3, 4].map((n) => limit.run(task(n)));
    await expect(limit.run(task(5))).rejects.toMatchObject({ code: 'rate_limited' });
    // Finish one task at a time: each frees the slot the next queued task takes.
    for (let finished = 0; finished < 4; finished++) {
      while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
      gates.shift()!();
    }
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxQueue: 0 });
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(() => Promise.resolve('next'))).toBe('next');
  });
});
