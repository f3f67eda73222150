import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RoomRegistry } from '../rooms/room-registry.ts';

/** Every node writes its viewers of a show this often; a node silent for three rounds counts for none. */
const ROUND_MS = 2000;
const STALE_MS = ROUND_MS * 3;

/**
 * A show's viewers over every node: a hash per show in Redis, a field per node holding its count and when
 * it was written. A node that died stops writing, and its field stops counting after STALE_MS.
 */
export class ClusterViewerCounts {
  readonly #redis: Redis;
  readonly #node = randomUUID();
  #timer: NodeJS.Timeout | null = null;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** Writes this node's viewers of the show and sums every node's; on a Redis failure, this node's alone. */
  total = async (showId: string, here: number): Promise<number> => {
    const key = `hawker:viewers:${showId}`;
    const now = Date.now();
    try {
      const [, [, fields]] = (await this.#redis.multi().hset(key, this.#node, `${here}:${now}`).hgetall(key).pexpire(key, STALE_MS * 10).exec()) as [unknown, [Error | null, Record<string, string>]];
      let total = 0;
      for (const value of Object.values(fields)) {
        const [count, at] = value.split(':').map(Number);
        if (now - at! < STALE_MS) total += count!;
      }
      return total;
    } catch {
      return here;
    }
  };

  /** Re-counts every open room each round, so viewers joining or leaving on other nodes are told here too. */
  start(rooms: RoomRegistry): void {
    this.#timer = setInterval(() => {
      for (const room of rooms.openRooms()) room.countViewers({ ifChanged: true });
    }, ROUND_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
