import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SessionEvents, SessionStore } from '../auth/session.ts';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';
import { subscriberOf } from './redis.ts';

const log = logger('session-revocations');

const CHANNEL = 'hawker:sessions:revoked';

type Whose = SessionEvents['revoked'][0];

/**
 * Revoked sessions (sign-out, expiry, a changed role) as every node hears them: this node's own at
 * once, and each other node's through Redis, so a socket opened on any node ends with its session.
 */
export class ClusterRevocations extends TypedEmitter<Pick<SessionEvents, 'revoked'>> {
  readonly #subscriber: Redis;

  private constructor(subscriber: Redis) {
    super();
    this.#subscriber = subscriber;
  }

  static async start(redis: Redis, sessions: SessionStore): Promise<ClusterRevocations> {
    const node = randomUUID();
    const subscriber = subscriberOf(redis);
    const revocations = new ClusterRevocations(subscriber);
    subscriber.on('message', (_channel: string, text: string) => {
      const message = parse(text);
      if (message && message.node !== node) revocations.emit('revoked', message.whose);
    });
    await subscriber.subscribe(CHANNEL);
    sessions.on('revoked', (whose) => {
      revocations.emit('revoked', whose);
      redis.publish(CHANNEL, JSON.stringify({ node, whose })).catch((err: Error) => log.warn({ err: err.message }, 'revocation not told to other nodes'));
    });
    return revocations;
  }

  async close(): Promise<void> {
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }
}

function parse(text: string): { node: string; whose: Whose } | null {
  try {
    const m = JSON.parse(text) as { node?: unknown; whose?: { sessionId?: unknown; userId?: unknown } };
    if (typeof m.node !== 'string' || !m.whose) return null;
    if (typeof m.whose.sessionId === 'string') return { node: m.node, whose: { sessionId: m.whose.sessionId } };
    if (typeof m.whose.userId === 'string') return { node: m.node, whose: { userId: m.whose.userId } };
    return null;
  } catch {
    return null;
  }
}
