import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaOrigin } from './media-origins.ts';
import { RecentOrigins } from './recent-origins.ts';

const A: MediaOrigin = { node: 'a', http: 'http://127.0.0.1:1' };

describe('RecentOrigins', () => {
  afterEach(() => vi.useRealTimers());

  it('asks once per show within the time it keeps an answer, found or not', async () => {
    vi.useFakeTimers();
    const lookup = vi.fn(async (id: string) => (id === 'live' ? A : null));
    const recent = new RecentOrigins(lookup, { ttlMs: 1000 });
    await Promise.all([recent.of('live'), recent.of('live'), recent.of('none'), recent.of('none')]);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(await recent.of('live')).toEqual(A);
    expect(await recent.of('none')).toBeNull();
    vi.advanceTimersByTime(1001);
    await recent.of('live');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('looks again once told the show changed', async () => {
    const lookup = vi.fn(async () => A);
    const recent = new RecentOrigins(lookup);
    await recent.of('s');
    recent.forget('s');
    await recent.of('s');
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('keeps at most its bound, dropping the oldest', async () => {
    const lookup = vi.fn(async () => null);
    const recent = new RecentOrigins(lookup, { max: 2 });
    await recent.of('one');
    await recent.of('two');
    await recent.of('three');
    await recent.of('two');
    expect(lookup).toHaveBeenCalledTimes(3);
    await recent.of('one');
    expect(lookup).toHaveBeenCalledTimes(4);
  });
});
