/**
 * What a sink learns from the RTP a consumer sends it. SRTP encrypts the payload only: the
 * header (sequence number, timestamp, SSRC) stays readable, so loss and jitter are counted
 * without the keys.
 */

export interface WindowStats {
  received: number;
  /** Packets the sequence numbers say were sent in the window. */
  expected: number;
  /** RFC 3550 interarrival jitter at the end of the window, in milliseconds. */
  jitterMs: number;
}

/**
 * One RTP stream's loss and jitter (RFC 3550 §6.4.1, A.8). Sequence numbers are extended past
 * their 16-bit wrap; a packet arriving late (lower than the highest seen) counts as received
 * but does not move the window, so reordering is not loss.
 */
export class StreamStats {
  readonly #clockRate: number;
  #highest = -1;
  #windowStart = 0;
  #received = 0;
  #jitter = 0;
  #lastTransit: number | null = null;

  constructor(clockRate: number) {
    this.#clockRate = clockRate;
  }

  /** `arrivalMs` from a monotonic clock. */
  add(seq: number, timestamp: number, arrivalMs: number): void {
    if (this.#highest < 0) {
      this.#highest = seq;
      this.#windowStart = seq;
    } else {
      const ext = extendSeq(seq, this.#highest);
      if (ext > this.#highest) this.#highest = ext;
    }
    this.#received++;
    // Transit time in timestamp units; its unknown offset cancels in the difference.
    const transit = (arrivalMs * this.#clockRate) / 1000 - timestamp;
    if (this.#lastTransit !== null) {
      let d = Math.abs(transit - this.#lastTransit);
      // A 32-bit timestamp wrap between two packets is not jitter.
      if (d > 2 ** 31) d = Math.abs(d - 2 ** 32);
      this.#jitter += (d - this.#jitter) / 16;
    }
    this.#lastTransit = transit;
  }

  /** The window since the last call (or the first packet); the next window starts after the highest seq seen. */
  takeWindow(): WindowStats {
    const expected = this.#highest < 0 ? 0 : this.#highest - this.#windowStart + 1;
    const stats = { received: this.#received, expected, jitterMs: (this.#jitter / this.#clockRate) * 1000 };
    this.#windowStart = this.#highest + 1;
    this.#received = 0;
    return stats;
  }
}

/** The extended sequence number nearest to `highest` whose low 16 bits are `seq`. */
export function extendSeq(seq: number, highest: number): number {
  const candidate = (highest & ~0xffff) + seq;
  if (candidate - highest > 0x8000) return candidate - 0x10000;
  if (highest - candidate > 0x8000) return candidate + 0x10000;
  return candidate;
}

export interface WindowSummary {
  streams: number;
  expected: number;
  received: number;
  /** Mean and worst jitter over streams, in milliseconds. */
  jitterMeanMs: number;
  jitterMaxMs: number;
}

/** One figure per window over many streams; the sums keep loss exact when sinks' summaries are merged. */
export function summarize(windows: readonly WindowStats[]): WindowSummary {
  let expected = 0;
  let received = 0;
  let jitterSum = 0;
  let jitterMaxMs = 0;
  for (const w of windows) {
    expected += w.expected;
    received += Math.min(w.received, w.expected);
    jitterSum += w.jitterMs;
    jitterMaxMs = Math.max(jitterMaxMs, w.jitterMs);
  }
  return { streams: windows.length, expected, received, jitterMeanMs: windows.length ? jitterSum / windows.length : 0, jitterMaxMs };
}

/** Merges sinks' summaries of the same window. */
export function mergeSummaries(parts: readonly WindowSummary[]): WindowSummary {
  const streams = parts.reduce((n, p) => n + p.streams, 0);
  return {
    streams,
    expected: parts.reduce((n, p) => n + p.expected, 0),
    received: parts.reduce((n, p) => n + p.received, 0),
    jitterMeanMs: streams ? parts.reduce((n, p) => n + p.jitterMeanMs * p.streams, 0) / streams : 0,
    jitterMaxMs: Math.max(0, ...parts.map((p) => p.jitterMaxMs))
  };
}

/** Packets lost as a percentage of those the sequence numbers say were sent. */
export function lossPercent(s: Pick<WindowSummary, 'expected' | 'received'>): number {
  return s.expected === 0 ? 0 : ((s.expected - s.received) / s.expected) * 100;
}
