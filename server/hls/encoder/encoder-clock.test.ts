import { describe, expect, it } from 'vitest';
import { EncoderClock } from './encoder-clock.ts';

describe('encoder clock', () => {
  it('dates media from the earliest arrival, so late output does not shift the dates', () => {
    const t = { now: 10_000 };
    const clock = new EncoderClock(() => t.now);
    // Start-up backlog: the first parts arrive together, late.
    t.now = 10_500;
    expect(clock.dateOf(0, 0.2)).toBe(10_300);
    expect(clock.dateOf(0.2, 0.2)).toBe(10_300);
    // On pace: each part arrives as it ends.
    t.now = 10_700;
    expect(clock.dateOf(0.4, 0.2)).toBe(10_100 + 400);
    // The encoder stalls and its output comes 3 s late: its media keeps its place on the clock.
    t.now = 13_900;
    expect(clock.dateOf(0.6, 0.2)).toBe(10_700);
  });
});
