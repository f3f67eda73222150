import crypto from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { bearerToken } from '../http/bearer.ts';
import { registry } from './metrics.ts';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

/** Prometheus text; with a token, only `Authorization: Bearer <token>` may scrape (compared in constant time). */
export function metricsHandler(token: string | undefined): express.RequestHandler {
  const expected = token === undefined ? null : sha256(token);
  return async (req, res) => {
    if (expected) {
      const offered = bearerToken(req.headers.authorization);
      if (!offered || !crypto.timingSafeEqual(sha256(offered), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"').status(401).json({ error: { code: 'unauthenticated', message: 'Metrics need the bearer token.' } });
        return;
      }
    }
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  };
}

/** /metrics alone on its own address (loopback or a private interface), away from the public port. */
export async function listenMetrics(opts: { host: string; port: number; token: string | undefined }): Promise<http.Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(opts.token));
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'Only /metrics is served here.' } }));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
