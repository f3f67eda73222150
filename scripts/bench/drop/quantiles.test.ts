import { describe, expect, it } from 'vitest';
import { evenQuantiles } from './quantiles.ts';

describe('evenQuantiles', () => {
  it('keeps a short distribution whole', () => {
    expect(evenQuantiles([1, 2.04, 3], 5)).toEqual([1, 2, 3]);
  });

  it('thins a long one to evenly spaced values, keeping its ends', () => {
    const sorted = Array.from({ length: 1001 }, (_, i) => i);
    expect(evenQuantiles(sorted, 5)).toEqual([0, 250, 500, 750, 1000]);
  });
});
