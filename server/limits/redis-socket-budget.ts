import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from '../log.ts';
import { addressBucket } from './rate-limit.ts';
import { MemorySocketBudget, type SocketBudget, type SocketOwner } from './socket-budget.ts';

const log = logger('socket-budget');

/**
 * Takes a place in every key's set or in none: drops places whose node stopped renewing them,
 * refuses when a set is full, else adds the socket to each. KEYS: the sets; ARGV: now, expiry,
 * member, then each key's limit.
 */
const TAKE = `
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[3])
  redis.call('PEXPIREAT', key, ARGV[2])
end
return 1`;

/** The client with TAKE defined as a command (sent by its hash once Redis has the script). */
type WithTake = Redis & { hawkerTakeSocketPlace(keyCount: number, ...args: (string | number)[]): Promise<number> };

export interface RedisSocketBudgetOptions {
  perAddress: number;
  perAccount: number;
  /** How long a place outlives its node's last renewal: a node that dies frees its sockets' places by then. */
  placeTtlMs?: number;
}

/**
 * Socket places shared by every node: one sorted set per address and per account in Redis, each member
 * a socket of some node, scored with the time its node last promised to renew it by. Each node renews
 * its own every third of that time, so the places of a node that died lapse on their own.
 * The node's own budget is taken first: while Redis is unreachable the per-node caps still hold.
 */
export class RedisSocketBudget implements SocketBudget {
  readonly #redis: Redis;
  readonly #limits: { perAddress: number; perAccount: number };
  readonly #ttlMs: number;
  readonly #local: MemorySocketBudget;
  readonly #node = randomUUID();
  readonly #open = new Map<string, string[]>();
  readonly #renewal: NodeJS.Timeout;
  #serial = 0;

  constructor(redis: Redis, opts: RedisSocketBudgetOptions) {
    this.#redis = redis;
    this.#limits = { perAddress: opts.perAddress, perAccount: opts.perAccount };
    this.#ttlMs = opts.placeTtlMs ?? 60_000;
    this.#local = new MemorySocketBudget(this.#limits);
    redis.defineCommand('hawkerTakeSocketPlace', { lua: TAKE });
    this.#renewal = setInterval(() => this.#renew(), this.#ttlMs / 3);
    this.#renewal.unref();
  }

  async take(owner: SocketOwner): Promise<(() => void) | null> {
    const releaseLocal = this.#local.takeNow(owner);
    if (!releaseLocal) return null;
    const keys: string[] = [];
    const limits: number[] = [];
    if (owner.address !== null) keys.push(`hawker:sockets:address:${addressBucket(owner.address)}`), limits.push(this.#limits.perAddress);
    if (owner.account !== null) keys.push(`hawker:sockets:account:${owner.account}`), limits.push(this.#limits.perAccount);
    if (keys.length === 0) return releaseLocal;
    const member = `${this.#node}:${++this.#serial}`;
    const now = Date.now();
    let taken: number;
    try {
      taken = await (this.#redis as WithTake).hawkerTakeSocketPlace(keys.length, ...keys, now, now + this.#ttlMs, member, ...limits);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'socket places unreachable in redis; counting on this node only');
      return releaseLocal;
    }
    if (taken !== 1) {
      releaseLocal();
      return null;
    }
    this.#open.set(member, keys);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseLocal();
      this.#open.delete(member);
      const pipeline = this.#redis.pipeline();
      for (const key of keys) pipeline.zrem(key, member);
      pipeline.exec().catch(() => {});
    };
  }

  close(): void {
    clearInterval(this.#renewal);
  }

  #renew(): void {
    if (this.#open.size === 0) return;
    const expiry = Date.now() + this.#ttlMs;
    const pipeline = this.#redis.pipeline();
    const renewed = new Set<string>();
    for (const [member, keys] of this.#open) {
      for (const key of keys) pipeline.zadd(key, expiry, member), renewed.add(key);
    }
    for (const key of renewed) pipeline.pexpireat(key, expiry);
    pipeline.exec().catch((err: Error) => log.warn({ err: err.message }, 'could not renew socket places'));
  }
}
