/** Seconds left at which a running clock is spoken: enough to act on, never every second. */
const COUNTDOWN_CUES: readonly number[] = [30, 10, 3, 2, 1];

/**
 * Turns the remaining time, read as often as the clock is drawn, into the cues it passes.
 * The first reading only sets where the clock stood, so opening a page mid-lot says nothing;
 * a clock pushed back up (a counter-bid) passes its cues again on the way down.
 */
export class CountdownCues {
  #lastMs: number | null = null;
  readonly #cues: readonly number[];

  constructor(cues: readonly number[] = COUNTDOWN_CUES) {
    this.#cues = [...cues].sort((a, b) => b - a);
  }

  /** The cue just passed, in seconds (the lowest if one reading passed several), or null. */
  next(remainingMs: number): number | null {
    const last = this.#lastMs;
    this.#lastMs = remainingMs;
    if (last === null || remainingMs >= last) return null;
    let passed: number | null = null;
    for (const s of this.#cues) if (last > s * 1000 && remainingMs <= s * 1000) passed = s;
    return passed;
  }
}
