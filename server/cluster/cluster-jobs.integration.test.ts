import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { onceAcrossCluster } from './cluster-jobs.ts';
import { connectRedis } from './redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a job run once across the cluster', () => {
  let redis: ScratchRedis;
  const conns: Redis[] = [];
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    redis = await startScratchRedis();
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    for (const conn of conns.splice(0)) conn.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const connection = async () => {
    const conn = await connectRedis(redis.url);
    conns.push(conn);
    return conn;
  };

  it('runs about once per interval over three nodes, not once per node', async () => {
    let runs = 0;
    for (let i = 0; i < 3; i++) {
      stops.push(onceAcrossCluster(await connection(), 'sweep', 200, () => runs++));
      await sleep(60); // nodes start at different moments, so their ticks fall apart
    }
    runs = 0;
    await sleep(2000);
    // Ten rounds; once per node would be thirty.
    expect(runs).toBeGreaterThanOrEqual(8);
    expect(runs).toBeLessThanOrEqual(12);
  });

  it('skips rounds while Redis cannot be reached, without throwing', async () => {
    const conn = await connection();
    conn.disconnect();
    let runs = 0;
    stops.push(onceAcrossCluster(conn, 'unreachable', 50, () => runs++));
    await sleep(300);
    expect(runs).toBe(0);
  });

  describe('without Redis', () => {
    afterEach(() => vi.useRealTimers());

    it('runs on every tick until stopped', async () => {
      vi.useFakeTimers();
      let runs = 0;
      const stop = onceAcrossCluster(null, 'sweep', 1000, () => runs++);
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(5);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(5);
    });

    it('keeps ticking after the job fails, and skips ticks while a run is still going', async () => {
      vi.useFakeTimers();
      let calls = 0;
      stops.push(
        onceAcrossCluster(null, 'failing', 1000, async () => {
          calls++;
          if (calls === 1) throw new Error('database locked');
          await new Promise((r) => setTimeout(r, 2500));
        })
      );
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls).toBe(2);
      // The second run lasts until 4.5 s: the ticks at 3 s and 4 s pass it by.
      await vi.advanceTimersByTimeAsync(3000);
      expect(calls).toBe(3);
    });
  });
});
