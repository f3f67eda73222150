import { describe, expect, it } from 'vitest';
import { behindLiveP50, latencyFigures, spreadSample, perViewerMinute } from './summary.ts';

describe('latency summary', () => {
  it('takes percentiles over every frame of every viewer', () => {
    const frames = Array.from({ length: 100 }, (_, i) => 100 - i);
    const f = latencyFigures(frames);
    expect(f).toMatchObject({ p50_ms: 51, p95_ms: 96, max_ms: 100 });
    expect(f.samples_ms).toHaveLength(100);
  });

  it('keeps a bounded sample that spans the distribution up to its maximum', () => {
    const sorted = Array.from({ length: 10_000 }, (_, i) => i);
    const sample = spreadSample(sorted, 100);
    expect(sample).toHaveLength(100);
    expect(sample[0]).toBe(0);
    expect(sample[50]).toBe(5000);
    expect(sample.at(-1)).toBe(9999);
  });

  it('counts stalls and jumps per viewer per minute watched', () => {
    const takes = [
      { latencies: [], stalls: 1, seeks: 2, behindLive: [] },
      { latencies: [], stalls: 0, seeks: 0, behindLive: [] }
    ];
    expect(perViewerMinute(takes, 30)).toBe(1);
    expect(perViewerMinute(takes, 30, 'seeks')).toBe(2);
    expect(perViewerMinute([], 30)).toBeNaN();
  });

  it('takes the median distance behind live over every viewer', () => {
    expect(behindLiveP50([{ latencies: [], stalls: 0, seeks: 0, behindLive: [900, 1100] }, { latencies: [], stalls: 0, seeks: 0, behindLive: [1000] }])).toBe(1000);
  });
});
