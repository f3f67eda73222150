/**
 * At most `points` values spread evenly over a sorted distribution (its minimum and maximum included),
 * so a report can draw thousands of answer times as a CDF from a short JSON field.
 */
export function evenQuantiles(sorted: readonly number[], points: number): number[] {
  if (sorted.length <= points) return sorted.map(round1);
  return Array.from({ length: points }, (_, i) => round1(sorted[Math.round((i * (sorted.length - 1)) / (points - 1))]!));
}

export function round1(n: number): number {
  return Number(n.toFixed(1));
}
