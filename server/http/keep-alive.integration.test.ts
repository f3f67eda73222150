import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';

/** Whether `GET path` went over a connection kept from an earlier request, and its status. */
function get(agent: http.Agent, url: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

/**
 * A proxy (nginx keeps idle upstream connections 60 s) or a client sends its next request down a
 * connection it kept; were the server to close idle ones sooner, a request sent as it closed one would
 * be reset: the server keeps them open past that, so the other side is always the one to close.
 */
describe('idle keep-alive connections', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
  });
  afterAll(() => app.close());

  it('stay open longer than a proxy keeps its own', async () => {
    expect(app.server.keepAliveTimeout).toBeGreaterThan(60_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(agent, `${app.url}/healthz`)).toEqual({ status: 200, reused: false });
    // Past Node's default of 5 s, the connection is still there for the next request.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await get(agent, `${app.url}/healthz`)).toEqual({ status: 200, reused: true });
    agent.destroy();
  }, 20_000);
});
