import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '$lib/client-error';
import { isRetryable, RetrySchedule } from './retry-schedule.ts';

describe('retrying a media request', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('doubles the delay up to the cap, gives up after the last attempt, and starts over after a success', () => {
    const runs: number[] = [];
    const retry = new RetrySchedule({ baseMs: 100, maxMs: 400, attempts: 4, random: () => 1 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = Date.now();
      expect(retry.schedule(() => runs.push(Date.now() - start))).toBe(true);
      vi.runAllTimers();
      delays.push(runs.at(-1)!);
    }
    expect(delays).toEqual([100, 200, 400, 400]);
    expect(retry.exhausted).toBe(true);
    expect(retry.schedule(() => runs.push(-1))).toBe(false);
    vi.runAllTimers();
    expect(runs).not.toContain(-1);
    retry.reset();
    expect(retry.exhausted).toBe(false);
    expect(retry.schedule(() => runs.push(0))).toBe(true);
    vi.advanceTimersByTime(100);
    expect(runs.at(-1)).toBe(0);
  });

  it('cancels a pending attempt', () => {
    const retry = new RetrySchedule({ baseMs: 100 });
    let ran = false;
    retry.schedule(() => (ran = true));
    retry.cancel();
    vi.runAllTimers();
    expect(ran).toBe(false);
  });

  it('retries only while the media server restarts or a reply was lost', () => {
    expect(isRetryable(new ClientError('media_unavailable', 'restarting'))).toBe(true);
    expect(isRetryable(new ClientError('timeout', 'lost'))).toBe(true);
    expect(isRetryable(new ClientError('at_capacity', 'full'))).toBe(false);
    expect(isRetryable(new ClientError('forbidden', 'no'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(isRetryable({ code: 'timeout' })).toBe(false);
  });
});
