/** How fast the demo shop runs, all derived from one figure: how long each auction lot runs. */
export interface DemoPace {
  /** How often the schedule looks at the show and acts. */
  tickMs: number;
  lotSeconds: number;
  counterBidSeconds: number;
  /** Pause between a lot closing and the next one opening. */
  lotGapMs: number;
  /** A demo bid this long after the last, while a lot runs. */
  bidEveryMs: number;
  /** The "3-2-1" before a drop opens (the overlay allows up to 10 s). */
  dropCountdownSeconds: number;
  /** How long a drop's flash sale runs before the next drop counts down. */
  dropOpenMs: number;
  pollSeconds: number;
  pollGapMs: number;
  chatEveryMs: number;
  /** Closed lots and the demo accounts' lapsed orders are deleted this long after. */
  keepClosedMs: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The default (40 s lots) puts a lot on sale about every 50 s and a drop about every 50 s, so a
 * newcomer sees a lot move and sell, and a drop count down, within a minute of opening the page.
 * Tests pass the shortest lot the auction rules allow (10 s) and the rest shrinks with it.
 */
export function demoPace(lotSeconds: number): DemoPace {
  const l = lotSeconds * 1000;
  return {
    tickMs: clamp(l / 40, 200, 1000),
    lotSeconds,
    counterBidSeconds: clamp(Math.round(lotSeconds / 4), 3, 10),
    lotGapMs: Math.max(3000, l / 4),
    bidEveryMs: l / 8,
    dropCountdownSeconds: clamp(Math.round(lotSeconds / 4), 3, 10),
    // A flash sale runs at least 10 s.
    dropOpenMs: Math.max(10_000, l),
    pollSeconds: Math.round(lotSeconds * 1.5),
    pollGapMs: l / 4,
    chatEveryMs: l / 2,
    keepClosedMs: Math.max(10 * 60_000, l * 10)
  };
}
