import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { postJson } from '../testing/http.ts';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';

/** Two nodes on one Redis: a client the load balancer sends to either meets one limit, not one per node. */
describe('limits of two nodes sharing Redis', () => {
  let redis: ScratchRedis;
  let nodes: RunningApp[];
  const open: TestWsClient[] = [];

  beforeAll(async () => {
    redis = await startScratchRedis();
    const config = testConfig({ REDIS_URL: redis.url, SIGNUP_LIMIT_PER_HOUR: '3', MAX_SOCKETS_PER_IP: '3' });
    nodes = [await startApp(config, { webHandler: false }), await startApp(config, { webHandler: false })];
  });
  afterAll(async () => {
    for (const c of open) c.close();
    for (const n of nodes ?? []) await n.close();
    await redis?.stop();
  });

  it('counts sign-ups from one address across both nodes', async () => {
    const signUp = (node: RunningApp, i: number) =>
      postJson(`${node.url}/api/auth/signup`, { email: `limit-${i}@example.com`, password: 'buyer-password-1', displayName: `Buyer ${i}` });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signUp(nodes[i % 2]!, i)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });

  it('caps one address’s sockets across both nodes, and a closed socket frees its place for the other node', async () => {
    const ws = (node: RunningApp) => TestWsClient.connect(`${node.url.replace('http', 'ws')}/ws`);
    open.push(await ws(nodes[0]!), await ws(nodes[1]!), await ws(nodes[0]!));
    await expect(ws(nodes[1]!)).rejects.toThrow(/429/);
    open.shift()!.close();
    await expect.poll(async () => {
      try {
        open.push(await ws(nodes[1]!));
        return true;
      } catch {
        return false;
      }
    }).toBe(true);
  });
});
