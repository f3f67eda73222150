import type { Redis } from 'ioredis';

/** Each show's heart total: this node's own count, or the cluster's in Redis. */
export interface HeartTotals {
  /** Adds `count` hearts; resolves to the show's total after them. */
  add(showId: string, count: number): Promise<number>;
  get(showId: string): Promise<number>;
}

export class MemoryHeartTotals implements HeartTotals {
  readonly #totals = new Map<string, number>();

  add(showId: string, count: number): Promise<number> {
    const total = (this.#totals.get(showId) ?? 0) + count;
    this.#totals.set(showId, total);
    return Promise.resolve(total);
  }

  get(showId: string): Promise<number> {
    return Promise.resolve(this.#totals.get(showId) ?? 0);
  }
}

/** A total outlives its show's last tap by this long, then Redis forgets it. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** Totals every node adds to. While Redis cannot be reached a node goes on from the last total it saw. */
export class RedisHeartTotals implements HeartTotals {
  readonly #redis: Redis;
  readonly #lastSeen = new Map<string, number>();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async add(showId: string, count: number): Promise<number> {
    const key = `hawker:hearts:${showId}`;
    let total: number;
    try {
      const [[, added]] = (await this.#redis.multi().incrby(key, count).expire(key, KEEP_SECONDS).exec()) as [[Error | null, number]];
      total = added;
    } catch {
      total = (this.#lastSeen.get(showId) ?? 0) + count;
    }
    this.#lastSeen.set(showId, total);
    return total;
  }

  async get(showId: string): Promise<number> {
    try {
      return Number((await this.#redis.get(`hawker:hearts:${showId}`)) ?? 0);
    } catch {
      return this.#lastSeen.get(showId) ?? 0;
    }
  }
}
