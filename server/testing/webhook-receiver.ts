import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { WebhookBody } from '#shared/webhooks.ts';

/** One POST a receiver got. */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  raw: string;
  at: number;
}

/**
 * A real HTTP receiver on loopback for webhook tests: records every request and answers with what `answer`
 * says (200 unless told), so a test can make it fail, stall or come back.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** 'hang' never answers; 'trickle' sends a 200's headers and then a byte a second, never ending. */
  answer: (hit: ReceivedWebhook) => { status: number; body?: string } | 'hang' | 'trickle' = () => ({ status: 200, body: 'ok' });
  readonly #server: http.Server;
  readonly #waiters = new Set<() => void>();

  private constructor(server: http.Server) {
    this.#server = server;
  }

  /** Listens on 127.0.0.1, on `port` when given (a restarted receiver keeps its URL). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hit = { path: req.url ?? '', headers: req.headers as Record<string, string>, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        receiver.received.push(hit);
        for (const wake of receiver.#waiters) wake();
        const answer = receiver.answer(hit);
        if (answer === 'hang') return;
        if (answer === 'trickle') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 1000);
          res.on('close', () => clearInterval(timer));
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Bodies verified against `secret` (throws on a bad signature), in arrival order, of requests to `path`. */
  verified(secret: string, path = '/hooks'): WebhookBody[] {
    const wh = new Webhook(secret);
    return this.received.filter((r) => r.path === path).map((r) => wh.verify(r.raw, r.headers) as WebhookBody);
  }

  /** Resolves once `done()` holds, checking on each request; rejects after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => (this.#waiters.delete(check), reject(new Error(`the receiver did not get what was awaited within ${timeoutMs} ms (${this.received.length} requests)`))), timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
