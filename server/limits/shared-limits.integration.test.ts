import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { LimitStore } from './shared-limits.ts';

const spec = { name: 'test-buys', limit: 3, windowSeconds: 60 };

describe('shared limits', () => {
  let redis: ScratchRedis;
  const clients: Redis[] = [];
  const node = () => {
    const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
    client.on('error', () => {});
    clients.push(client);
    return new LimitStore(client);
  };

  beforeAll(async () => {
    redis = await startScratchRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('in memory, each node counts on its own', async () => {
    const [a, b] = [new LimitStore().limit(spec), new LimitStore().limit(spec)];
    const taken = [await a.take('u'), await a.take('u'), await a.take('u'), await a.take('u'), await b.take('u')];
    expect(taken).toEqual([true, true, true, false, true]);
  });

  it('in Redis, one count holds across nodes however the hits are spread', async () => {
    const nodes = [node(), node(), node()].map((n) => n.limit(spec));
    await Promise.all(clients.map((c) => new Promise((r) => (c.status === 'ready' ? r(null) : c.once('ready', r)))));
    const taken = await Promise.all(Array.from({ length: 9 }, (_, i) => nodes[i % 3]!.take('buyer-1')));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await nodes[2]!.count('buyer-1')).toBe(9);
    expect(await nodes[0]!.take('buyer-2')).toBe(true);
    await nodes[1]!.reset('buyer-1');
    expect(await nodes[0]!.take('buyer-1')).toBe(true);
  });

  it('a limit without bound still counts, for escalating delays', async () => {
    const failures = node().limit({ name: 'test-failures', limit: Infinity, windowSeconds: 60 });
    for (let i = 0; i < 5; i++) expect(await failures.take('a@b.c')).toBe(true);
    expect(await failures.count('a@b.c')).toBe(5);
  });

  it('with Redis gone, each node keeps limiting in memory instead of failing', async () => {
    const limit = node().limit({ ...spec, name: 'test-outage' });
    await Promise.all(clients.map((c) => new Promise((r) => (c.status === 'ready' ? r(null) : c.once('ready', r)))));
    expect(await limit.take('k')).toBe(true);
    redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    const taken = [await limit.take('k'), await limit.take('k'), await limit.take('k'), await limit.take('k')];
    expect(taken).toEqual([true, true, true, false]);
  });
});
