import type { Redis } from 'ioredis';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';

const log = logger('show-leases');

const KEY = 'hawker:owner:';

/** Extends a lease only while this node still holds it. KEYS: the show's key; ARGV: node id, ttl. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes a lease only while this node still holds it, never the one a successor took. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The client with the scripts defined as commands (sent by their hash once Redis has them). */
type WithScripts = Redis & {
  hawkerExtendLease(key: string, node: string, ttlMs: number): Promise<number>;
  hawkerReleaseLease(key: string, node: string): Promise<number>;
};

export interface ShowLeaseEvents extends Record<string, unknown[]> {
  /** This node owns the show now and may act as its owner until `lost`. */
  gained: [showId: string];
  /** The lease lapsed or another node holds it: stop acting as the show's owner at once. Not emitted by release or close. */
  lost: [showId: string];
}

export interface ShowLeasesOptions {
  /** How long a lease outlives its node's last renewal: a node that dies gives its shows up by then. */
  ttlMs?: number;
  /** How often leases are renewed and live shows without an owner claimed. */
  renewEveryMs?: number;
}

interface Lease {
  /** When the lease ends unless a renewal is confirmed: never later than Redis's own expiry of the key. */
  until: number;
  expiry: NodeJS.Timeout;
}

/**
 * One owner per live show across the nodes: a key per show in Redis holding the owner's node id with an
 * expiry, renewed by its owner every round. When a node dies its keys expire, and the next round of
 * another node that watches the live shows claims them, so a show moves within ttl + one round.
 * A node counts its lease from before the command that set or extended it left, so it stops acting
 * as owner no later than Redis lets another node take over, Redis outage or long pause included.
 */
export class ShowLeases extends TypedEmitter<ShowLeaseEvents> {
  readonly #redis: WithScripts;
  readonly #node: string;
  readonly #ttlMs: number;
  readonly #held = new Map<string, Lease>();
  readonly #rounds: NodeJS.Timeout;
  #liveShows: (() => Promise<string[]> | string[]) | null = null;
  #roundRunning = false;
  #redisFailing = false;
  #closed = false;

  constructor(redis: Redis, nodeId: string, opts: ShowLeasesOptions = {}) {
    super();
    this.#ttlMs = opts.ttlMs ?? 6000;
    const renewEveryMs = opts.renewEveryMs ?? 2000;
    if (renewEveryMs >= this.#ttlMs) throw new Error('show leases must be renewed more often than they expire');
    redis.defineCommand('hawkerExtendLease', { numberOfKeys: 1, lua: EXTEND });
    redis.defineCommand('hawkerReleaseLease', { numberOfKeys: 1, lua: RELEASE });
    this.#redis = redis as WithScripts;
    this.#node = nodeId;
    this.#rounds = setInterval(() => void this.#round(), renewEveryMs);
    this.#rounds.unref();
  }

  /** True if this node owns the show now (it may have already). Rejects if Redis cannot be reached. */
  async claim(showId: string): Promise<boolean> {
    if (this.owns(showId)) return true;
    if (this.#closed) return false;
    const key = KEY + showId;
    const sentAt = Date.now();
    // A key still holding this node's id is its own (a claim racing this one, or a lease that lapsed here first).
    const taken =
      (await this.#redis.set(key, this.#node, 'PX', this.#ttlMs, 'NX')) === 'OK' || (await this.#redis.hawkerExtendLease(key, this.#node, this.#ttlMs)) === 1;
    this.#redisFailing = false;
    if (taken) this.#confirm(showId, sentAt);
    return taken;
  }

  /** The node id that owns the show in Redis, or null when none does. */
  ownerOf(showId: string): Promise<string | null> {
    return this.#redis.get(KEY + showId);
  }

  /** Whether this node may act as the show's owner; checks the clock too, so a timer held up by a pause cannot stretch a lease. */
  owns(showId: string): boolean {
    const lease = this.#held.get(showId);
    return lease !== undefined && Date.now() < lease.until;
  }

  /** Gives the show up at once so another node may claim it; without Redis it lapses after ttl instead. */
  async release(showId: string): Promise<void> {
    const lease = this.#held.get(showId);
    if (lease) clearTimeout(lease.expiry);
    this.#held.delete(showId);
    await this.#redis.hawkerReleaseLease(KEY + showId, this.#node).catch((err: Error) => log.warn({ show: showId, err: err.message }, 'show lease not released; it lapses on its own'));
  }

  /** Each round, claims every show `liveShows` names that no node owns: how shows of a node that died find a new owner. */
  watch(liveShows: () => Promise<string[]> | string[]): void {
    this.#liveShows = liveShows;
  }

  /** Stops the rounds and releases this node's leases. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#rounds);
    await Promise.all([...this.#held.keys()].map((showId) => this.release(showId)));
  }

  async #round(): Promise<void> {
    // A round still waiting on a slow Redis is not doubled up; each lease's own expiry guards it meanwhile.
    if (this.#roundRunning) return;
    this.#roundRunning = true;
    try {
      await Promise.all([...this.#held].map(([showId, lease]) => this.#renew(showId, lease)));
      if (this.#liveShows && !this.#closed) await this.#claimUnowned(this.#liveShows);
    } finally {
      this.#roundRunning = false;
    }
  }

  async #renew(showId: string, lease: Lease): Promise<void> {
    const sentAt = Date.now();
    let extended: number;
    try {
      extended = await this.#redis.hawkerExtendLease(KEY + showId, this.#node, this.#ttlMs);
      this.#redisFailing = false;
    } catch (err) {
      // Unconfirmed: the lease keeps its old end, and its expiry drops it if Redis stays away that long.
      return this.#redisFailed(err);
    }
    if (this.#held.get(showId) !== lease) return; // released, lost or claimed again meanwhile
    if (extended === 1) this.#confirm(showId, sentAt);
    else this.#lose(showId);
  }

  async #claimUnowned(liveShows: () => Promise<string[]> | string[]): Promise<void> {
    let showIds: string[];
    try {
      showIds = await liveShows();
    } catch (err) {
      return log.warn({ err }, 'live shows unknown; none claimed this round');
    }
    await Promise.all(showIds.filter((id) => !this.#held.has(id)).map((id) => this.claim(id).catch((err: unknown) => this.#redisFailed(err))));
  }

  /** Redis accepted the lease at `sentAt`: it is this node's until sentAt + ttl. */
  #confirm(showId: string, sentAt: number): void {
    // A claim that lands after close is handed straight back rather than held by a node that is leaving.
    if (this.#closed) return void this.release(showId);
    const before = this.#held.get(showId);
    const until = Math.max(sentAt + this.#ttlMs, before?.until ?? 0);
    if (before) clearTimeout(before.expiry);
    const expiry = setTimeout(() => this.#lose(showId), until - Date.now());
    expiry.unref();
    this.#held.set(showId, { until, expiry });
    if (!before) {
      log.info({ show: showId }, 'show owned by this node');
      this.emit('gained', showId);
    }
  }

  #lose(showId: string): void {
    const lease = this.#held.get(showId);
    if (!lease) return;
    clearTimeout(lease.expiry);
    this.#held.delete(showId);
    log.warn({ show: showId }, 'show no longer owned by this node');
    this.emit('lost', showId);
  }

  /** Said once per outage, not every round. */
  #redisFailed(err: unknown): void {
    if (!this.#redisFailing) log.warn({ err: (err as Error).message }, 'show leases not renewed; redis unreachable');
    this.#redisFailing = true;
  }
}
