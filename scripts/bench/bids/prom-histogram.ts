/**
 * Percentiles from a Prometheus histogram's text (cumulative `_bucket{le=…}` lines), as the bucket
 * bound that holds them, the way `histogram_quantile` would read them without interpolation.
 */
export function promBuckets(text: string, name: string): { le: number; count: number }[] {
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+(?:\\.\\d+)?)`, 'gm');
  return [...text.matchAll(re)].map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) }));
}

/** Subtracts an earlier reading, so a run counts only what happened during it. */
export function bucketsSince(now: { le: number; count: number }[], before: { le: number; count: number }[]): { le: number; count: number }[] {
  return now.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
}

/** Several processes' histograms (same buckets) as one, as Prometheus's `sum by (le)` would add them. */
export function sumBuckets(histograms: { le: number; count: number }[][]): { le: number; count: number }[] {
  return (histograms[0] ?? []).map((b, i) => ({ le: b.le, count: histograms.reduce((n, h) => n + (h[i]?.count ?? 0), 0) }));
}

export function bucketPercentile(buckets: { le: number; count: number }[], p: number): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const target = (p / 100) * total;
  return buckets.find((b) => b.count >= target)!.le;
}
