import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimiter } from './rate-limit.ts';

/** A fixed-window count per key (an account, an address) that every node of a cluster shares. */
export interface SharedLimit {
  /** Counts a hit (worth `points`, one unless told: characters, say); resolves false when the key is over its limit in the current window. */
  take(key: string, points?: number): Promise<boolean>;
  /** Hits counted for the key in the current window. */
  count(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

export interface LimitSpec {
  /** Names the counter in the shared store: unique per limit. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Where per-account and per-address limits are counted: in this process's memory (the embedded mode),
 * or in Redis so that a limit holds for the cluster however the load balancer spreads a client's requests.
 * Limits of one socket stay in memory: a socket lives on one node.
 */
export class LimitStore {
  readonly #redis: Redis | null;

  constructor(redis: Redis | null = null) {
    this.#redis = redis;
  }

  limit(spec: LimitSpec): SharedLimit {
    return this.#redis ? new RedisLimit(this.#redis, spec) : new MemoryLimit(spec);
  }
}

/** Points stand for an unbounded limit that only counts (rate-limiter-flexible needs a finite number). */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

class MemoryLimit implements SharedLimit {
  readonly #counter: RateLimiter;

  constructor(spec: LimitSpec) {
    this.#counter = new RateLimiter({ limit: spec.limit, windowMs: spec.windowSeconds * 1000 });
  }

  take(key: string, points = 1): Promise<boolean> {
    return Promise.resolve(this.#counter.hit(key, points));
  }

  count(key: string): Promise<number> {
    return Promise.resolve(this.#counter.count(key));
  }

  reset(key: string): Promise<void> {
    this.#counter.reset(key);
    return Promise.resolve();
  }
}

/**
 * Counts in Redis. While Redis is unreachable each node counts on its own, in the same bounded memory
 * counter the embedded mode uses, rather than failing every request: the limit is then per node, which
 * still bounds a client, and a flood of new keys during the outage cannot grow memory without bound.
 */
class RedisLimit implements SharedLimit {
  readonly #limiter: RateLimiterRedis;
  readonly #fallback: MemoryLimit;

  constructor(redis: Redis, spec: LimitSpec) {
    const points = Number.isFinite(spec.limit) ? spec.limit : UNBOUNDED;
    this.#limiter = new RateLimiterRedis({ keyPrefix: `hawker:limit:${spec.name}`, points, duration: spec.windowSeconds, storeClient: redis, rejectIfRedisNotReady: true });
    this.#fallback = new MemoryLimit(spec);
  }

  async take(key: string, points = 1): Promise<boolean> {
    try {
      await this.#limiter.consume(key, points);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      return this.#fallback.take(key, points);
    }
  }

  async count(key: string): Promise<number> {
    try {
      return (await this.#limiter.get(key))?.consumedPoints ?? 0;
    } catch {
      return this.#fallback.count(key);
    }
  }

  async reset(key: string): Promise<void> {
    await this.#fallback.reset(key);
    await this.#limiter.delete(key).catch(() => {});
  }
}
