import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { connectRedis } from './redis.ts';
import { ShowLeases } from './show-leases.ts';

const TTL_MS = 600;
const RENEW_MS = 200;

/** Two nodes, each with its own connection to one Redis, contend for the same shows. */
describe('show leases across two nodes', () => {
  let redis: ScratchRedis;
  let admin: Redis;
  const open: { leases: ShowLeases; conn: Redis }[] = [];
  let serial = 0;

  beforeAll(async () => {
    redis = await startScratchRedis();
    admin = await connectRedis(redis.url);
  });
  afterEach(async () => {
    for (const { leases, conn } of open.splice(0)) {
      await leases.close();
      conn.disconnect();
    }
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  const node = async (nodeId: string) => {
    const conn = await connectRedis(redis.url);
    const leases = new ShowLeases(conn, nodeId, { ttlMs: TTL_MS, renewEveryMs: RENEW_MS });
    open.push({ leases, conn });
    return { leases, conn };
  };
  const newShow = () => `show-${++serial}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('lets exactly one node claim a show, and both agree which', async () => {
    const [a, b] = [(await node('a')).leases, (await node('b')).leases];
    const show = newShow();
    const claims = await Promise.all([a.claim(show), b.claim(show)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims[0] ? 'a' : 'b';
    expect(await a.ownerOf(show)).toBe(winner);
    expect(await b.ownerOf(show)).toBe(winner);
    expect([a.owns(show), b.owns(show)]).toEqual(claims);
    expect(await (claims[0] ? a : b).claim(show)).toBe(true);
    expect(await (claims[0] ? b : a).claim(show)).toBe(false);
  });

  it('keeps a show past its ttl by renewing, and moves it within ttl + a round once its owner stops, never with two owners at once', async () => {
    const a = await node('a');
    const b = (await node('b')).leases;
    const show = newShow();
    b.watch(() => [show]);
    expect(await a.leases.claim(show)).toBe(true);
    const lost: string[] = [];
    a.leases.on('lost', (id) => lost.push(id));
    await sleep(TTL_MS * 2);
    expect(a.leases.owns(show)).toBe(true);
    expect(await b.ownerOf(show)).toBe('a');

    // As a killed node would: its connection goes without a word, nothing released.
    let aOwnedWhenBGained: boolean | undefined;
    b.on('gained', () => (aOwnedWhenBGained = a.leases.owns(show)));
    const stoppedAt = Date.now();
    a.conn.disconnect();
    await expect.poll(() => b.owns(show), { timeout: 5000, interval: 20 }).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS + RENEW_MS + 300);
    expect(aOwnedWhenBGained).toBe(false);
    expect(lost).toEqual([show]);
    expect(await b.ownerOf(show)).toBe('b');
  });

  it('tells its owner a show is lost when its key is taken or deleted behind its back', async () => {
    const a = (await node('a')).leases;
    const [stolen, deleted] = [newShow(), newShow()];
    await a.claim(stolen);
    await a.claim(deleted);
    const lost: string[] = [];
    a.on('lost', (id) => lost.push(id));
    await admin.set(`hawker:owner:${stolen}`, 'intruder', 'PX', 10_000);
    await admin.del(`hawker:owner:${deleted}`);
    await expect.poll(() => lost.sort(), { timeout: RENEW_MS * 3 }).toEqual([stolen, deleted].sort());
    expect(a.owns(stolen)).toBe(false);
    expect(a.owns(deleted)).toBe(false);
    // The compare-and-extend left the other holder's key alone.
    expect(await a.ownerOf(stolen)).toBe('intruder');
  });

  it('lets another node claim a released show at once, and close releases every lease', async () => {
    const a = (await node('a')).leases;
    const b = (await node('b')).leases;
    const [released, closed] = [newShow(), newShow()];
    await a.claim(released);
    await a.claim(closed);
    expect(await b.claim(released)).toBe(false);
    await a.release(released);
    expect(a.owns(released)).toBe(false);
    expect(await b.claim(released)).toBe(true);
    await a.close();
    expect(await b.ownerOf(closed)).toBeNull();
    expect(await b.claim(closed)).toBe(true);
  });

  it('does not release a show another node took over after its lease lapsed', async () => {
    const a = await node('a');
    const b = (await node('b')).leases;
    const show = newShow();
    await a.leases.claim(show);
    await admin.del(`hawker:owner:${show}`);
    expect(await b.claim(show)).toBe(true);
    await a.leases.release(show);
    expect(await b.ownerOf(show)).toBe('b');
  });
});
