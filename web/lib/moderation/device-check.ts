import { acquireClassifier, frameFrom, releaseClassifier } from './classifier';
import type { Scores } from './protocol';

export interface DeviceReport {
  backend: string;
  /** Threads the wasm backend splits each frame across (1 without cross-origin isolation). */
  threads: number;
  frames: number;
  /** Worker time per frame (scaling, inference, read-back). */
  p50_ms: number;
  p95_ms: number;
  /** Frames completed per wall-clock second, grab and hand-off included. */
  fps: number;
  /** From creating the worker to a warmed-up model. */
  load_ms: number;
  /** The last frame's class probabilities. */
  scores: Scores;
}

declare global {
  interface Window {
    /** Set when the device check finishes, for the benchmark and e2e tests. */
    __moderationReport?: DeviceReport | { error: string };
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Classifies `frames` frames of a playing video back to back, as fast as the device allows. */
export async function runDeviceCheck(
  video: HTMLVideoElement,
  frames: number,
  signal: AbortSignal,
  onProgress: (done: number) => void
): Promise<DeviceReport> {
  const loadStart = performance.now();
  const classifier = acquireClassifier();
  try {
    const { backend, threads } = await classifier.ready;
    const loadMs = performance.now() - loadStart;
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
      await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
    }
    const times: number[] = [];
    let scores: Scores | null = null;
    const start = performance.now();
    while (times.length < frames) {
      signal.throwIfAborted();
      const result = await classifier.classify(await frameFrom(video));
      times.push(result.ms);
      scores = result.scores;
      onProgress(times.length);
    }
    const seconds = (performance.now() - start) / 1000;
    times.sort((a, b) => a - b);
    return {
      backend,
      threads,
      frames,
      p50_ms: round1(percentile(times, 50)),
      p95_ms: round1(percentile(times, 95)),
      fps: round1(frames / seconds),
      load_ms: Math.round(loadMs),
      scores: scores!
    };
  } finally {
    releaseClassifier();
  }
}
