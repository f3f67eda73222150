import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { NodeUnavailable, OwnerRequests } from './owner-requests.ts';
import { connectRedis } from './redis.ts';

/** Two nodes on one Redis: the caller (a) forwards to the owner (b). */
describe('requests between nodes', () => {
  let redis: ScratchRedis;
  let connA: Redis;
  let connB: Redis;
  let a: OwnerRequests;
  let b: OwnerRequests;
  let serial = 0;

  beforeAll(async () => {
    redis = await startScratchRedis();
    [connA, connB] = [await connectRedis(redis.url), await connectRedis(redis.url)];
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });
  afterAll(async () => {
    connA?.disconnect();
    connB?.disconnect();
    await redis?.stop();
  });

  /** Fresh node ids per test, so one test's handlers and late replies never meet another's. */
  const nodes = async (opts: { maxPending?: number } = {}) => {
    serial++;
    a = await OwnerRequests.start(connA, `a${serial}`, opts);
    b = await OwnerRequests.start(connB, `b${serial}`);
  };
  const bId = () => `b${serial}`;

  it('round-trips a request and tells the handler who asked', async () => {
    await nodes();
    b.handle('echo', async (payload, from) => ({ payload, from }));
    expect(await a.call(bId(), 'echo', { lot: 'l1', amount: 1200 })).toEqual({ payload: { lot: 'l1', amount: 1200 }, from: `a${serial}` });
  });

  it('hands the caller the handler’s AppError with its code, message and params', async () => {
    await nodes();
    b.handle('bid', async () => {
      throw new AppError('bad_request', 'Bid at least $5.00.', { reason: 'bid_too_low', min: 500, currency: 'USD' });
    });
    const err = await a.call(bId(), 'bid', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'bad_request', message: 'Bid at least $5.00.', params: { reason: 'bid_too_low', min: 500, currency: 'USD' } });
  });

  it('hands the caller only a generic internal error for any other failure', async () => {
    await nodes();
    b.handle('bid', async () => {
      throw new Error('SQLITE_BUSY at /srv/hawker/data/hawker.db');
    });
    const err = (await a.call(bId(), 'bid', {}).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('internal');
    expect(err.params).toBeUndefined();
    expect(err.message).toBe('Something went wrong on the server.');
    expect(JSON.stringify({ ...err, stack: err.stack })).not.toMatch(/SQLITE|hawker\.db/);
  });

  it('fails at once, as unavailable, when the node called has gone', async () => {
    await nodes();
    await b.close();
    const started = Date.now();
    const err = await a.call(bId(), 'bid', {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeUnavailable);
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/unavailable; try again/) });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails as unavailable when the handler takes longer than the timeout', async () => {
    await nodes();
    b.handle('slow', () => new Promise((r) => setTimeout(() => r('late'), 500)));
    const err = await a.call(bId(), 'slow', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeUnavailable);
    expect(err).toMatchObject({ message: expect.stringMatching(/did not answer in time/) });
  });

  it('answers many concurrent calls each with its own reply', async () => {
    await nodes();
    b.handle('double', async (payload) => {
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      return (payload as { n: number }).n * 2;
    });
    const ns = Array.from({ length: 500 }, (_, n) => n);
    expect(await Promise.all(ns.map((n) => a.call(bId(), 'double', { n }, { timeoutMs: 10_000 })))).toEqual(ns.map((n) => n * 2));
  });

  it('refuses calls past the cap of pending ones, and fails pending calls on close', async () => {
    await nodes({ maxPending: 2 });
    b.handle('never', () => new Promise(() => {}));
    const pending = [a.call(bId(), 'never', {}, { timeoutMs: 10_000 }), a.call(bId(), 'never', {}, { timeoutMs: 10_000 })].map((p) => p.catch((e: unknown) => e));
    await expect(a.call(bId(), 'never', {})).rejects.toThrow(/busy/);
    await a.close();
    for (const err of await Promise.all(pending)) expect(err).toBeInstanceOf(NodeUnavailable);
  });

  it('drops malformed messages and keeps serving', async () => {
    await nodes();
    b.handle('echo', async (payload) => payload);
    for (const junk of ['not json', '{}', JSON.stringify({ type: 'request', id: 'x', from: '', method: 'echo' }), JSON.stringify({ type: 'reply', id: 'x', ok: false, error: { code: 'nope', message: '' } })]) {
      expect(await connA.publish(`hawker:node:${bId()}`, junk)).toBe(1);
      expect(await connB.publish(`hawker:node:a${serial}`, junk)).toBe(1);
    }
    expect(await a.call(bId(), 'echo', 'still here')).toBe('still here');
  });
});
