import http from 'node:http';
import type { Request, Response } from 'express';

/** Marks a request one node passed to another, so a show whose origin is gone cannot bounce between nodes. */
export const HOP_HEADER = 'x-hawker-hop';
/** Longer than any hold of a blocking playlist or part at the origin. */
const TIMEOUT_MS = 15_000;
const PASSED_ON = ['content-type', 'content-length', 'cache-control'];

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * Answers an LL-HLS request from the show's origin node: the same path and query there, its status,
 * body and cache headers here, so a CDN or edge in front of any node caches what the origin said.
 * A client that leaves releases the request held at the origin.
 */
export function proxyToOrigin(origin: string, req: Request, res: Response): void {
  const target = new URL(req.originalUrl, origin);
  const upstream = http.get(target, { agent, headers: { [HOP_HEADER]: '1' }, timeout: TIMEOUT_MS }, (reply) => {
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
    if (!res.headersSent) res.status(502).set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('the show’s origin cannot be reached');
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
}
