import { describe, expect, it } from 'vitest';
import { CountdownCues } from './countdown-cues';

/** Feeds readings every `step` ms from `from` down to 0 and collects the cues said. */
function run(cues: CountdownCues, from: number, step: number, to = 0): number[] {
  const said: number[] = [];
  for (let ms = from; ms >= to; ms -= step) {
    const c = cues.next(ms);
    if (c !== null) said.push(c);
  }
  return said;
}

describe('CountdownCues', () => {
  it('speaks at 30 and 10 seconds and then 3, 2, 1, not every second', () => {
    expect(run(new CountdownCues(), 45_000, 16)).toEqual([30, 10, 3, 2, 1]);
  });

  it('says nothing for where the clock stood when the page opened', () => {
    const cues = new CountdownCues();
    expect(cues.next(9_500)).toBeNull();
    expect(run(cues, 9_400, 100)).toEqual([3, 2, 1]);
  });

  it('passes the cues again after a counter-bid pushes the clock back up', () => {
    const cues = new CountdownCues();
    expect(run(cues, 12_000, 50, 2_500)).toEqual([10, 3]);
    expect(cues.next(15_000)).toBeNull();
    expect(run(cues, 15_000, 50)).toEqual([10, 3, 2, 1]);
  });

  it('gives the lowest cue when a slow reading passes several at once', () => {
    const cues = new CountdownCues();
    cues.next(4_000);
    expect(cues.next(1_500)).toBe(2);
  });
});
