import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { RedisSocketBudget } from './redis-socket-budget.ts';

describe('socket places shared in Redis', () => {
  let redis: ScratchRedis;
  const clients: Redis[] = [];
  const budgets: RedisSocketBudget[] = [];
  const node = async (opts: { perAddress: number; perAccount: number; placeTtlMs?: number }) => {
    const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
    client.on('error', () => {});
    clients.push(client);
    if (client.status !== 'ready') await new Promise((r) => client.once('ready', r));
    const budget = new RedisSocketBudget(client, opts);
    budgets.push(budget);
    return budget;
  };

  beforeAll(async () => {
    redis = await startScratchRedis();
  });
  afterAll(async () => {
    for (const b of budgets) b.close();
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('caps an address across nodes, and a released place is free again on any node', async () => {
    const [a, b, c] = [await node({ perAddress: 3, perAccount: 10 }), await node({ perAddress: 3, perAccount: 10 }), await node({ perAddress: 3, perAccount: 10 })];
    const owner = { address: '192.0.2.10', account: null };
    const places = await Promise.all([a, b, c, a, b, c].map((n) => n.take(owner)));
    expect(places.filter((p) => p !== null)).toHaveLength(3);
    // The same /64 counts as one client, whatever the node.
    expect(await a.take({ address: '::ffff:192.0.2.10', account: null })).toBeNull();
    places.find((p) => p !== null)!();
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.take(owner)).not.toBeNull();
  });

  it('caps an account across nodes, and a refused socket takes no place under its address', async () => {
    const [a, b] = [await node({ perAddress: 5, perAccount: 2 }), await node({ perAddress: 5, perAccount: 2 })];
    expect(await a.take({ address: '192.0.2.20', account: 'acct-1' })).not.toBeNull();
    expect(await b.take({ address: '192.0.2.21', account: 'acct-1' })).not.toBeNull();
    expect(await b.take({ address: '192.0.2.20', account: 'acct-1' })).toBeNull();
    const fills = await Promise.all([1, 2, 3, 4].map((i) => a.take({ address: '192.0.2.20', account: `other-${i}` })));
    expect(fills.every((p) => p !== null)).toBe(true);
  });

  it('frees the places of a node that stopped renewing them (it died) once their time lapses', async () => {
    const dead = await node({ perAddress: 2, perAccount: 10, placeTtlMs: 600 });
    const live = await node({ perAddress: 2, perAccount: 10, placeTtlMs: 600 });
    const owner = { address: '192.0.2.30', account: null };
    expect(await dead.take(owner)).not.toBeNull();
    expect(await live.take(owner)).not.toBeNull();
    dead.close();
    await new Promise((r) => setTimeout(r, 900));
    // The live node renewed its place; the dead node's lapsed.
    expect(await live.take(owner)).not.toBeNull();
    expect(await live.take(owner)).toBeNull();
  });

  it('with Redis gone, each node keeps its own cap', async () => {
    const n = await node({ perAddress: 2, perAccount: 10 });
    redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    const owner = { address: '192.0.2.40', account: null };
    expect([await n.take(owner), await n.take(owner), await n.take(owner)].map((p) => p !== null)).toEqual([true, true, false]);
  });
});
