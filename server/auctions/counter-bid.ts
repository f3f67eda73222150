import type { MediaMode } from '#shared/media.ts';

/**
 * How the counter-bid (soft close) window is decided. A viewer can only answer a
 * bid after seeing it, so the window must outlast the slowest viewer class's
 * delivery latency (the bid event travels over ws, but the viewer reacts to what
 * the host says on video) plus time to tap. Each class's figure is its measured
 * p95 glass-to-glass latency rounded up with headroom (see the bench:latency
 * figures in the README), plus a human reaction allowance.
 */
export const VIEWER_CLASS_LATENCY_MS = {
  /** WebRTC through the SFU: measured p95 is well under 200 ms locally; allow for real networks. */
  webrtc: 1_000,
  /** LL-HLS: 3 × part target hold-back plus a segment of slack. */
  hls: 5_000
} as const satisfies Record<MediaMode, number>;

const REACTION_MS = 2_000;

/**
 * The counter-bid window a lot actually uses: never shorter than the slowest class present
 * can react in. A viewer counts as HLS once it reports so; WebRTC is always assumed present.
 */
export function effectiveCounterBidMs(configuredMs: number, classes: Iterable<MediaMode>): number {
  let slowest: number = VIEWER_CLASS_LATENCY_MS.webrtc;
  for (const c of classes) slowest = Math.max(slowest, VIEWER_CLASS_LATENCY_MS[c]);
  return Math.max(configuredMs, slowest + REACTION_MS);
}
