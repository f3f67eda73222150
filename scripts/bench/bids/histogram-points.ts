import type { Histogram } from '../lib/histogram.ts';

/**
 * A millisecond histogram as at most `maxPoints` [upper_ms, count] pairs for the report's CDF
 * charts: the non-empty buckets, neighbours merged when there are too many.
 */
export function histogramPoints(h: Histogram, maxPoints = 200): [number, number][] {
  const filled: [number, number][] = [];
  h.counts.forEach((count, ms) => count > 0 && filled.push([ms, count]));
  const per = Math.ceil(filled.length / maxPoints);
  if (per <= 1) return filled;
  const merged: [number, number][] = [];
  for (let i = 0; i < filled.length; i += per) {
    const group = filled.slice(i, i + per);
    merged.push([group.at(-1)![0], group.reduce((n, [, c]) => n + c, 0)]);
  }
  return merged;
}
