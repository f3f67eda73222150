import { Redis } from 'ioredis';
import { logger } from '../log.ts';

const log = logger('redis');

/** How long a node waits for Redis at start before it refuses to run. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The node's connection to the cluster's Redis. A command fails after half a second rather than
 * hold a request, and none queue while the connection is down: callers fall back or refuse at once.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, lazyConnect: true });
  let lastError = '';
  redis.on('error', (err: Error) => {
    // ioredis retries on its own; say so once per distinct failure, not on every retry.
    if (err.message !== lastError) log.warn({ err: err.message }, 'redis connection failed; retrying');
    lastError = err.message;
  });
  redis.on('ready', () => (lastError = ''));
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  void redis.connect().catch(() => {});
  const timedOut = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Redis at ${redactedUrl(url)} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS).unref());
  try {
    await Promise.race([ready, timedOut]);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}

/**
 * A connection of its own for listening (a subscribed connection can do nothing else). It queues its
 * subscriptions while down and renews them on reconnect; the node's own connection reports failures.
 */
export function subscriberOf(redis: Redis): Redis {
  const subscriber = redis.duplicate({ enableOfflineQueue: true });
  subscriber.on('error', () => {});
  return subscriber;
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
