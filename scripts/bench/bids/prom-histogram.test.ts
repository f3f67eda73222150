import { describe, expect, it } from 'vitest';
import { bucketPercentile, bucketsSince, promBuckets, sumBuckets } from './prom-histogram.ts';

const text = (counts: number[]) =>
  ['0.01', '0.05', '0.1', '+Inf'].map((le, i) => `h_seconds_bucket{le="${le}"} ${counts[i]}`).join('\n') + '\nh_seconds_count 9\n';

describe('Prometheus histogram percentiles', () => {
  it('reads cumulative buckets and answers with the bound that holds the percentile', () => {
    const b = promBuckets(text([50, 90, 99, 100]), 'h_seconds');
    expect(b.map((x) => x.le)).toEqual([0.01, 0.05, 0.1, Infinity]);
    expect(bucketPercentile(b, 50)).toBe(0.01);
    expect(bucketPercentile(b, 90)).toBe(0.05);
    expect(bucketPercentile(b, 99)).toBe(0.1);
    expect(bucketPercentile(b, 99.5)).toBe(Infinity);
  });

  it('counts only what happened since an earlier reading', () => {
    const since = bucketsSince(promBuckets(text([60, 100, 110, 110]), 'h_seconds'), promBuckets(text([10, 10, 10, 10]), 'h_seconds'));
    expect(since.map((b) => b.count)).toEqual([50, 90, 100, 100]);
    expect(bucketPercentile(since, 60)).toBe(0.05);
    expect(bucketPercentile([], 50)).toBeNaN();
  });

  it('adds several nodes’ histograms bucket by bucket', () => {
    const fast = promBuckets(text([90, 100, 100, 100]), 'h_seconds');
    const slow = promBuckets(text([0, 0, 90, 100]), 'h_seconds');
    const all = sumBuckets([fast, slow]);
    expect(all.map((b) => b.count)).toEqual([90, 100, 190, 200]);
    expect(bucketPercentile(all, 50)).toBe(0.05);
    expect(bucketPercentile(all, 90)).toBe(0.1);
    expect(sumBuckets([])).toEqual([]);
  });
});
