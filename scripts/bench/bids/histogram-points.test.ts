import { describe, expect, it } from 'vitest';
import { Histogram } from '../lib/histogram.ts';
import { histogramPoints } from './histogram-points.ts';

describe('histogram points for the report', () => {
  it('lists the non-empty buckets', () => {
    const h = new Histogram();
    for (const ms of [3, 3, 10, 250]) h.add(ms);
    expect(histogramPoints(h)).toEqual([[3, 2], [10, 1], [250, 1]]);
  });

  it('merges neighbours into at most the points asked for, keeping every count', () => {
    const h = new Histogram();
    for (let ms = 1; ms <= 1000; ms++) h.add(ms);
    const points = histogramPoints(h, 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points.reduce((n, [, c]) => n + c, 0)).toBe(1000);
    expect(points.at(-1)).toEqual([1000, 10]);
  });
});
