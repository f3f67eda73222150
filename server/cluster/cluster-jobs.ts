import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from '../log.ts';

const log = logger('cluster-jobs');

/**
 * Runs `job` every `everyMs` on one node of the cluster rather than on each (sweeps that every node
 * could do, but once is enough): every node ticks, and the one that takes the round's key in Redis
 * runs the job. The key lapses a tenth of a round (at most a second) before the next tick, so
 * a round is not lost to a key that outlived its own round by timer jitter. Without Redis (a single
 * node) the job runs on every tick. A node skips a tick while its last run is still going.
 * Returns a function that stops the ticks.
 */
export function onceAcrossCluster(redis: Redis | null, name: string, everyMs: number, job: () => unknown | Promise<unknown>): () => void {
  const jobLog = log.child({ job: name });
  const key = `hawker:job:${name}`;
  const token = randomUUID();
  const roundMs = everyMs - Math.min(Math.floor(everyMs / 10), 1000);
  let running = false;
  let redisFailing = false;

  const wonRound = async (): Promise<boolean> => {
    if (!redis) return true;
    try {
      const won = (await redis.set(key, token, 'PX', roundMs, 'NX')) === 'OK';
      if (redisFailing) jobLog.info('redis reachable again; job rounds resume');
      redisFailing = false;
      return won;
    } catch (err) {
      if (!redisFailing) jobLog.warn({ err: (err as Error).message }, 'redis unreachable; job rounds skipped until it is back');
      redisFailing = true;
      return false;
    }
  };

  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      if (await wonRound()) await job();
    } catch (err) {
      jobLog.error({ err }, 'job failed');
    } finally {
      running = false;
    }
  };

  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
