/**
 * Maps one FFmpeg process's decode times to wall-clock time
 * (EXT-X-PROGRAM-DATE-TIME), shared by its renditions so their dates agree.
 * The anchor is the earliest arrival seen: output that left FFmpeg in a burst
 * (its start-up backlog) arrived later than real time would have.
 */
export class EncoderClock {
  readonly #now: () => number;
  #anchor = Infinity;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Wall clock (ms) of media starting at `start` seconds and lasting `duration`, which just arrived. */
  dateOf(start: number, duration: number): number {
    this.#anchor = Math.min(this.#anchor, this.#now() - (start + duration) * 1000);
    return this.#anchor + start * 1000;
  }
}
