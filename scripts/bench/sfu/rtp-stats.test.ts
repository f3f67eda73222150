import { describe, expect, it } from 'vitest';
import { extendSeq, lossPercent, mergeSummaries, StreamStats, summarize } from './rtp-stats.ts';

describe('extendSeq', () => {
  it('carries over the 16-bit wrap both ways', () => {
    expect(extendSeq(2, 65534)).toBe(65538);
    expect(extendSeq(65534, 65538)).toBe(65534);
    expect(extendSeq(100, 90)).toBe(100);
  });
});

describe('StreamStats', () => {
  it('counts gaps as loss, across the sequence wrap', () => {
    const s = new StreamStats(90000);
    for (const seq of [65530, 65531, 65533, 65534, 0, 1, 4]) s.add(seq, 0, 0);
    // 65530 … 4 is 11 packets; 7 arrived.
    expect(s.takeWindow()).toMatchObject({ expected: 11, received: 7 });
  });

  it('does not count reordering as loss', () => {
    const s = new StreamStats(90000);
    for (const seq of [10, 12, 11, 13]) s.add(seq, 0, 0);
    expect(s.takeWindow()).toMatchObject({ expected: 4, received: 4 });
  });

  it('starts each window after the last one', () => {
    const s = new StreamStats(90000);
    for (const seq of [1, 2, 3]) s.add(seq, 0, 0);
    s.takeWindow();
    for (const seq of [4, 6]) s.add(seq, 0, 0);
    expect(s.takeWindow()).toMatchObject({ expected: 3, received: 2 });
    expect(s.takeWindow()).toMatchObject({ expected: 0, received: 0 });
  });

  it('has no jitter when packets arrive exactly as paced', () => {
    const s = new StreamStats(48000);
    for (let i = 0; i < 50; i++) s.add(i, i * 960, i * 20);
    expect(s.takeWindow().jitterMs).toBeCloseTo(0, 9);
  });

  it('converges to the RFC 3550 estimate when arrival alternates early and late', () => {
    const s = new StreamStats(48000);
    // Every packet is 4 ms early or late against its 20 ms pacing: |D| is 8 ms each time.
    for (let i = 0; i < 400; i++) s.add(i, i * 960, i * 20 + (i % 2 ? 4 : -4));
    expect(s.takeWindow().jitterMs).toBeCloseTo(8, 3);
  });

  it('takes a timestamp wrap in its stride', () => {
    const s = new StreamStats(90000);
    const start = 2 ** 32 - 3000;
    for (let i = 0; i < 10; i++) s.add(i, (start + i * 3000) % 2 ** 32, i * (1000 / 30));
    expect(s.takeWindow().jitterMs).toBeCloseTo(0, 6);
  });
});

describe('summarize, mergeSummaries and lossPercent', () => {
  it('sum over streams, ignore duplicates and weigh the mean jitter by streams', () => {
    const a = summarize([
      { expected: 100, received: 98, jitterMs: 2 },
      { expected: 100, received: 101, jitterMs: 4 }
    ]);
    expect(a).toEqual({ streams: 2, expected: 200, received: 198, jitterMeanMs: 3, jitterMaxMs: 4 });
    expect(lossPercent(a)).toBe(1);
    const b = summarize([{ expected: 200, received: 200, jitterMs: 9 }]);
    const both = mergeSummaries([a, b]);
    expect(both).toEqual({ streams: 3, expected: 400, received: 398, jitterMeanMs: 5, jitterMaxMs: 9 });
    expect(lossPercent(both)).toBe(0.5);
    expect(lossPercent(summarize([]))).toBe(0);
  });
});
