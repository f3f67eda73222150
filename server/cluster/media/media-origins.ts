import type { Redis } from 'ioredis';
import { z } from 'zod';
import { TypedEmitter } from '../../events.ts';
import { logger } from '../../log.ts';
import { subscriberOf } from '../redis.ts';

const log = logger('media-origins');

const KEY = 'hawker:media-origin:';
const CHANNEL = 'hawker:media-changed';
/** An origin re-announces each show this often; one silent for three rounds is gone. */
const ROUND_MS = 2000;
const TTL_MS = ROUND_MS * 3;

/** The node a show's media comes from: where its host (or the demo source) publishes. */
export interface MediaOrigin {
  node: string;
  /** Its HTTP address, for LL-HLS: `http://host:port`. */
  http: string;
}

const RENEW = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const originSchema = z.object({ node: z.string().min(1).max(64), http: z.string().url().max(200) });
const changeSchema = z.object({ showId: z.string().min(1).max(64), node: z.string().min(1).max(64) });

export interface MediaOriginEvents extends Record<string, unknown[]> {
  /** The show's media changed at its origin (producers came, went, paused) or moved to another node. */
  changed: [showId: string, node: string];
}

/**
 * Where each show's media originates, in Redis: a key per show naming its origin node, renewed while the
 * node publishes it, and a channel on which an origin says its producers changed so the nodes piping
 * them look again.
 */
export class MediaOrigins extends TypedEmitter<MediaOriginEvents> {
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #self: () => MediaOrigin;
  readonly #mine = new Set<string>();
  readonly #timer: NodeJS.Timeout;

  private constructor(redis: Redis, subscriber: Redis, self: () => MediaOrigin) {
    super();
    this.#redis = redis;
    this.#subscriber = subscriber;
    this.#self = self;
    this.#timer = setInterval(() => void this.#renew(), ROUND_MS);
    this.#timer.unref();
  }

  /** `self` names this node once it serves HTTP. */
  static async start(redis: Redis, self: () => MediaOrigin): Promise<MediaOrigins> {
    const subscriber = subscriberOf(redis);
    const origins = new MediaOrigins(redis, subscriber, self);
    subscriber.on('message', (_channel: string, text: string) => origins.#heard(text));
    await subscriber.subscribe(CHANNEL);
    return origins;
  }

  get node(): string {
    return this.#self().node;
  }

  /** This node publishes the show, or its producers changed: it becomes the origin and piping nodes look again. */
  async announce(showId: string): Promise<void> {
    this.#mine.add(showId);
    const self = this.#self();
    try {
      await this.#redis.set(KEY + showId, JSON.stringify(self), 'PX', TTL_MS);
      await this.#redis.publish(CHANNEL, JSON.stringify({ showId, node: self.node }));
    } catch (err) {
      log.warn({ err: (err as Error).message, show: showId }, 'media origin not announced; retried next round');
    }
  }

  /** This node no longer publishes the show. */
  async withdraw(showId: string): Promise<void> {
    if (!this.#mine.delete(showId)) return;
    const self = this.#self();
    try {
      // Only its own entry: another node may have become the origin meanwhile.
      const current = await this.of(showId);
      if (current?.node === self.node) await this.#redis.del(KEY + showId);
      await this.#redis.publish(CHANNEL, JSON.stringify({ showId, node: self.node }));
    } catch {
      // The entry lapses on its own.
    }
  }

  /** The show's origin, or null when no node publishes it (or Redis cannot say). */
  async of(showId: string): Promise<MediaOrigin | null> {
    try {
      const text = await this.#redis.get(KEY + showId);
      return text ? (originSchema.safeParse(JSON.parse(text)).data ?? null) : null;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#mine].map((showId) => this.withdraw(showId)));
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }

  /** Renews this node's entries; one another node has taken since (the host moved) is left to it. */
  async #renew(): Promise<void> {
    const self = JSON.stringify(this.#self());
    for (const showId of this.#mine) {
      const kept = await this.#redis.eval(RENEW, 1, KEY + showId, self, TTL_MS).catch(() => 1);
      if (kept === 0) this.#mine.delete(showId);
    }
  }

  #heard(text: string): void {
    try {
      const change = changeSchema.safeParse(JSON.parse(text)).data;
      if (change) this.emit('changed', change.showId, change.node);
    } catch {
      // Not ours.
    }
  }
}
