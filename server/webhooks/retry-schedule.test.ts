import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE as s, maxAttempts, nextAttemptAt, nominalDelay } from './retry-schedule.ts';

describe('the retry schedule', () => {
  it('doubles the wait after each failure up to its ceiling', () => {
    expect([1, 2, 3, 4].map((n) => nominalDelay(n, s))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nominalDelay(30, s)).toBe(s.maxDelayMs);
  });

  it('keeps trying for a day and no longer', () => {
    const n = maxAttempts(s);
    let nominal = 0;
    for (let a = 1; a < n; a++) nominal += nominalDelay(a, s);
    expect(nominal).toBeGreaterThanOrEqual(s.giveUpAfterMs);
    expect(nominal - nominalDelay(n - 1, s)).toBeLessThan(s.giveUpAfterMs);
    expect(nextAttemptAt(n - 1, 0, s, () => 0.5)).not.toBeNull();
    expect(nextAttemptAt(n, 0, s, () => 0.5)).toBeNull();
  });

  it('spreads each wait by up to a fifth either way', () => {
    expect(nextAttemptAt(1, 1000, s, () => 0)).toBe(1000 + 24_000);
    expect(nextAttemptAt(1, 1000, s, () => 1)).toBe(1000 + 36_000);
  });
});
