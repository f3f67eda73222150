import type { Redis } from 'ioredis';
import { logger } from '../log.ts';
import type { RoomBus } from '../realtime/room-bus.ts';
import type { RoomMessage } from '../realtime/room-message.ts';
import { subscriberOf } from './redis.ts';

const log = logger('room-bus');

const SHOW_CHANNEL = 'hawker:room:';
const HOST_CHANNEL = 'hawker:host:';

/**
 * Room messages through Redis: a channel per show (and per host, for what every room of a shop hears).
 * The node that commits a change publishes it once; every node, itself included, hears it and delivers
 * it to its own rooms, so all nodes see one order per publisher, and a lot's events, which only its
 * single writer publishes, keep their order. Each node listens to every show's channel by pattern:
 * a room that opens misses nothing between opening and subscribing. While Redis cannot be reached,
 * a node's messages still reach its own rooms.
 */
export class RedisRoomBus implements RoomBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #local: RoomBus;

  private constructor(publisher: Redis, subscriber: Redis, local: RoomBus) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#local = local;
  }

  /** Listens on the cluster's room channels. */
  static async start(redis: Redis, local: RoomBus): Promise<RedisRoomBus> {
    const subscriber = subscriberOf(redis);
    subscriber.on('pmessage', (_pattern: string, _channel: string, text: string) => {
      const message = parse(text);
      if (message) local.publish(message);
      else log.warn('unreadable room message ignored');
    });
    await subscriber.psubscribe(`${SHOW_CHANNEL}*`, `${HOST_CHANNEL}*`);
    return new RedisRoomBus(redis, subscriber, local);
  }

  publish(message: RoomMessage): void {
    const channel = 'showId' in message ? SHOW_CHANNEL + message.showId : HOST_CHANNEL + message.hostId;
    this.#publisher.publish(channel, JSON.stringify(message)).catch((err: Error) => {
      log.warn({ err: err.message }, 'room message not published; only this node’s rooms hear it');
      this.#local.publish(message);
    });
  }

  /** Another node's room may hear any show. */
  mayHear(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }
}

/** A message from another node, checked for the shape delivery relies on. */
function parse(text: string): RoomMessage | null {
  try {
    const m = JSON.parse(text) as Partial<Record<string, unknown>>;
    const named = typeof m.showId === 'string' || typeof m.hostId === 'string';
    return named && typeof m.op === 'string' ? (m as RoomMessage) : null;
  } catch {
    return null;
  }
}
