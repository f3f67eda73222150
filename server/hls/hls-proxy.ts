import http from 'node:http';
import type { Request, Response } from 'express';

/** Marks a request one node passed to another, so a show whose origin is gone cannot bounce between nodes. */
export const HOP_HEADER = 'x-hawker-hop';
/** Longer than any hold of a blocking playlist or part at the origin. */
const TIMEOUT_MS = 15_000;
const PASSED_ON = ['content-type', 'content-length', 'cache-control'];

/**
 * How many requests a node holds open at other nodes, in all and for one client address. A player holds
 * two at a time (a blocking reload and a part); an edge or CDN collapses its players' requests, and is
 * counted by its own address unless TRUST_PROXY names it.
 */
export interface ForwardLimits {
  total: number;
  perAddress: number;
}
export const FORWARD_LIMITS: ForwardLimits = { total: 1024, perAddress: 64 };

function refuse(res: Response, status: number, reason: string): void {
  res.status(status).set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '1' }).end(reason);
}

/**
 * Answers LL-HLS requests from the show's origin node: the same path and query there, its status, body
 * and cache headers here, so a CDN or edge in front of any node caches what the origin said. Held
 * requests are bounded, so a flood of them costs a refusal rather than sockets and memory; a client
 * that leaves releases the request held at the origin.
 */
export class OriginProxy {
  readonly #limits: ForwardLimits;
  // Sockets for every request the limit lets through, so none waits unbounded in the agent's queue.
  readonly #agent: http.Agent;
  readonly #byAddress = new Map<string, number>();
  #held = 0;

  constructor(limits: ForwardLimits = FORWARD_LIMITS) {
    this.#limits = limits;
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: limits.total });
  }

  forward(origin: string, req: Request, res: Response): void {
    const address = req.ip ?? 'unknown';
    const mine = this.#byAddress.get(address) ?? 0;
    if (mine >= this.#limits.perAddress) return refuse(res, 429, 'too many requests at once');
    if (this.#held >= this.#limits.total) return refuse(res, 503, 'busy; try again in a moment');
    this.#held += 1;
    this.#byAddress.set(address, mine + 1);
    const upstream = http.get(new URL(req.originalUrl, origin), { agent: this.#agent, headers: { [HOP_HEADER]: '1' }, timeout: TIMEOUT_MS }, (reply) => {
      const headers: Record<string, string> = {};
      for (const name of PASSED_ON) {
        const v = reply.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      res.status(reply.statusCode ?? 502).set(headers);
      reply.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', () => {
      if (!res.headersSent) refuse(res, 502, 'the show’s origin cannot be reached');
      else res.destroy();
    });
    res.once('close', () => {
      this.#release(address);
      if (!res.writableFinished) upstream.destroy();
    });
  }

  #release(address: string): void {
    this.#held -= 1;
    const left = (this.#byAddress.get(address) ?? 1) - 1;
    if (left > 0) this.#byAddress.set(address, left);
    else this.#byAddress.delete(address);
  }
}
