import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hlsRouter } from './hls-router.ts';
import { serve } from '../testing/serve-router.ts';

/** An origin that holds every request, as it holds a blocking reload for a part not yet made. */
async function holdingOrigin() {
  const held = new Set<http.IncomingMessage>();
  let closed = 0;
  const server = http.createServer((req) => {
    held.add(req);
    req.socket.once('close', () => {
      held.delete(req);
      closed += 1;
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.size,
    closed: () => closed,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))
  };
}

/** A player's request from one loopback address; resolves with the status once answered. */
function ask(base: string, from: string) {
  const req = http.get(`${base}/hls/show2/ep/720p/index.m3u8?_HLS_msn=9`, { localAddress: from, agent: false });
  const answered = new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
  });
  answered.catch(() => {});
  return { answered, abort: () => req.destroy() };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('LL-HLS requests passed on to the show’s origin node', () => {
  let origin: Awaited<ReturnType<typeof holdingOrigin>>;
  let node: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    origin = await holdingOrigin();
    const source = { stream: () => undefined, recordingDir: () => '/nonexistent', remoteOrigin: async () => origin.url };
    node = await serve(hlsRouter(source, { forwardLimits: { total: 3, perAddress: 2 } }));
  });
  afterAll(async () => {
    await node.close();
    await origin.close();
  });

  it('holds a bounded number per client address and in all, refusing the rest without passing them on', async () => {
    const first = [ask(node.base, '127.0.0.1'), ask(node.base, '127.0.0.1')];
    await until(() => origin.held() === 2);

    const third = await ask(node.base, '127.0.0.1').answered;
    expect(third.status).toBe(429);
    expect(third.headers['cache-control']).toBe('no-store');
    expect(third.headers['retry-after']).toBe('1');

    const other = ask(node.base, '127.0.0.2');
    await until(() => origin.held() === 3);
    const overall = await ask(node.base, '127.0.0.3').answered;
    expect(overall.status).toBe(503);
    expect(origin.held()).toBe(3);

    // A player that leaves releases its request at the origin and its place here.
    first[0]!.abort();
    await until(() => origin.closed() === 1 && origin.held() === 2);
    const again = ask(node.base, '127.0.0.1');
    await until(() => origin.held() === 3);
    for (const r of [first[1]!, other, again]) r.abort();
    await until(() => origin.held() === 0);
  });
});
