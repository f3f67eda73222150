import { describe, expect, it } from 'vitest';
import { chooseSpatialLayer } from './layer-selection.ts';

describe('simulcast layer choice', () => {
  it('sends the top layer when nothing is known', () => {
    expect(chooseSpatialLayer({ viewportHeight: null, availableBitrate: null })).toBe(2);
  });

  it('follows the drawn size: a thumbnail gets the low layer, a large player the top one', () => {
    expect(chooseSpatialLayer({ viewportHeight: 120, availableBitrate: null })).toBe(0);
    expect(chooseSpatialLayer({ viewportHeight: 300, availableBitrate: null })).toBe(1);
    expect(chooseSpatialLayer({ viewportHeight: 1080, availableBitrate: null })).toBe(2);
  });

  it('drops layers the estimated bandwidth cannot carry, whatever the size', () => {
    expect(chooseSpatialLayer({ viewportHeight: 1080, availableBitrate: 5_000_000 })).toBe(2);
    expect(chooseSpatialLayer({ viewportHeight: 1080, availableBitrate: 800_000 })).toBe(1);
    expect(chooseSpatialLayer({ viewportHeight: 1080, availableBitrate: 100_000 })).toBe(0);
    expect(chooseSpatialLayer({ viewportHeight: 120, availableBitrate: 5_000_000 })).toBe(0);
  });
});
