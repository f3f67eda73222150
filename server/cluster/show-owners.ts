import type { Redis } from 'ioredis';
import type { ShowOwnership } from '../auctions/auctions.ts';
import { OwnerRequests, NodeUnavailable } from './owner-requests.ts';
import { ShowLeases } from './show-leases.ts';

const METHOD = 'auction';

/**
 * Which node runs each live show's lots: a lease per show in Redis (`ShowLeases`), claimed by whichever
 * node first sees the show live without an owner, and requests to that node over Redis (`OwnerRequests`).
 */
export class ShowOwners implements ShowOwnership {
  readonly nodeId: string;
  readonly #leases: ShowLeases;
  readonly #requests: OwnerRequests;

  private constructor(nodeId: string, leases: ShowLeases, requests: OwnerRequests) {
    this.nodeId = nodeId;
    this.#leases = leases;
    this.#requests = requests;
  }

  static async start(redis: Redis, opts: { nodeId: string; liveShows: () => Promise<string[]>; ttlMs?: number; renewEveryMs?: number }): Promise<ShowOwners> {
    const leases = new ShowLeases(redis, opts.nodeId, { ttlMs: opts.ttlMs, renewEveryMs: opts.renewEveryMs });
    const requests = await OwnerRequests.start(redis, opts.nodeId);
    const owners = new ShowOwners(opts.nodeId, leases, requests);
    leases.watch(opts.liveShows);
    return owners;
  }

  /** Requests between nodes, for other kinds of work than a show's lots. */
  get requests(): OwnerRequests {
    return this.#requests;
  }

  mine(showId: string): boolean {
    return this.#leases.owns(showId);
  }

  async ask(showId: string, request: unknown): Promise<{ here: true } | { here: false; reply: unknown }> {
    if (this.mine(showId)) return { here: true };
    const owner = await this.#leases.ownerOf(showId).catch(() => {
      throw new NodeUnavailable('The auction’s server cannot be reached; try again in a moment.');
    });
    // No owner (a show just gone live, or its owner just died): this node takes it rather than wait for a round.
    if (owner === null && (await this.#leases.claim(showId).catch(() => false))) return { here: true };
    if (owner === null || owner === this.nodeId) throw new NodeUnavailable('The auction is moving to another server; try again in a moment.');
    return { here: false, reply: await this.#requests.call(owner, METHOD, request) };
  }

  /** Runs what other nodes forward to this one. */
  serve(handle: (request: unknown) => Promise<unknown>): void {
    this.#requests.handle(METHOD, (payload) => handle(payload));
  }

  onGained(fn: (showId: string) => void): void {
    this.#leases.on('gained', fn);
  }

  onLost(fn: (showId: string) => void): void {
    this.#leases.on('lost', fn);
  }

  /** The show ended here: another node need not take it. */
  release(showId: string): Promise<void> {
    return this.#leases.release(showId);
  }

  async close(): Promise<void> {
    await this.#leases.close();
    await this.#requests.close();
  }
}
