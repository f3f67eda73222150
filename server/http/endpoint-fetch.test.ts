import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EndpointError, endpointFetch } from './endpoint-fetch.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A loopback server; its requests are recorded as "METHOD url". */
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const WHAT = 'the test endpoint';

describe('a request to a configured endpoint', () => {
  it('returns the status and body, error statuses included', async () => {
    const { url } = await serve((req, res) => res.writeHead(req.url === '/ok' ? 200 : 503).end(req.url === '/ok' ? '{"a":1}' : 'down'));
    expect(await endpointFetch(WHAT, `${url}/ok`, { method: 'GET', timeoutMs: 2000 })).toEqual({ status: 200, ok: true, body: '{"a":1}' });
    expect(await endpointFetch(WHAT, `${url}/x`, { method: 'GET', timeoutMs: 2000 })).toEqual({ status: 503, ok: false, body: 'down' });
  });

  it('does not follow a redirect, so the body and key never reach another host', async () => {
    const elsewhere = await serve((_req, res) => res.end('{}'));
    const { url } = await serve((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/steal` }).end());
    const attempt = endpointFetch(WHAT, `${url}/translate`, { method: 'POST', body: '{"api_key":"k"}', headers: { authorization: 'Bearer k' }, timeoutMs: 2000 });
    await expect(attempt).rejects.toThrow(new EndpointError(`${WHAT} answered with a redirect, which is not followed`));
    expect(elsewhere.seen).toEqual([]);
  });

  it('stops reading a reply longer than its bound', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(600));
      res.end('x'.repeat(600));
    });
    await expect(endpointFetch(WHAT, url, { method: 'GET', timeoutMs: 2000, maxBytes: 1000 })).rejects.toThrow(`${WHAT} answered with more than 1000 bytes`);
    expect((await endpointFetch(WHAT, url, { method: 'GET', timeoutMs: 2000, maxBytes: 1200 })).body).toHaveLength(1200);
  });

  it('gives up after its timeout, also while the body is still coming', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/slow-body') res.writeHead(200).write('{');
    });
    for (const path of ['/hang', '/slow-body']) {
      const started = Date.now();
      await expect(endpointFetch(WHAT, `${url}${path}`, { method: 'GET', timeoutMs: 300 })).rejects.toThrow(`${WHAT} did not answer within 0.3 s`);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('names neither the address nor the port when it cannot connect', async () => {
    const { url } = await serve((_req, res) => res.end());
    const port = new URL(url).port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const err = (await endpointFetch(WHAT, `http://user:secret@127.0.0.1:${port}/`, { method: 'GET', timeoutMs: 2000 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EndpointError);
    expect(err.message).toMatch(new RegExp(`^${WHAT} could not be reached`));
    expect(err.message).not.toMatch(/127\.0\.0\.1|secret|user/);
    expect(err.message).not.toContain(port);
  });
});
