/**
 * The figures of a latency run from what each viewer measured: glass-to-glass percentiles over
 * every frame of every viewer, stalls per viewer-minute, and a bounded sample for the report's chart.
 */
import { percentile } from '../lib/server-process.ts';

export interface ViewerTake {
  latencies: number[];
  stalls: number;
  /** Jumps the player made (e.g. back to the live edge after falling too far behind). */
  seeks: number;
  behindLive: number[];
}

/** Enough points for a smooth distribution chart; the JSON stays small. */
const MAX_SAMPLES = 1000;

/** Every `step`-th of the sorted values, so the sample keeps the distribution's shape (and its maximum). */
export function spreadSample(sorted: number[], max = MAX_SAMPLES): number[] {
  if (sorted.length <= max) return [...sorted];
  const step = sorted.length / max;
  const out = Array.from({ length: max }, (_, i) => sorted[Math.floor(i * step)]!);
  out[max - 1] = sorted.at(-1)!;
  return out;
}

export function latencyFigures(latencies: number[]): { p50_ms: number; p95_ms: number; max_ms: number; samples_ms: number[] } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50_ms: percentile(sorted, 50),
    p95_ms: percentile(sorted, 95),
    max_ms: sorted.at(-1) ?? NaN,
    samples_ms: spreadSample(sorted)
  };
}

/** How often a viewer's playback stopped to wait for data (or, with `seeks`, jumped), per minute watched. */
export function perViewerMinute(takes: ViewerTake[], seconds: number, what: 'stalls' | 'seeks' = 'stalls'): number {
  if (takes.length === 0 || seconds <= 0) return NaN;
  const count = takes.reduce((n, t) => n + t[what], 0);
  return Number(((count / takes.length) * (60 / seconds)).toFixed(2));
}

export function behindLiveP50(takes: ViewerTake[]): number {
  return Math.round(percentile(takes.flatMap((t) => t.behindLive).sort((a, b) => a - b), 50));
}
