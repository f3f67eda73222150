import type { MediaMode } from '$shared/media';
import type { ClientErrorCode } from '$lib/client-error';

/**
 * Why the viewer watches in its mode. `chosen`: the person picked it. `capacity`: the SFU is full.
 * `timeout`: WebRTC showed no video in time or its connection failed. `recovering`: the media server
 * is restarting, so LL-HLS carries the show until a WebRTC rejoin succeeds.
 */
export type ModeReason = 'capacity' | 'timeout' | 'chosen' | 'recovering' | null;
export interface ModeState {
  mode: MediaMode;
  reason: ModeReason;
}

/** What to do with a successful join: the show ended, go to LL-HLS, stay on it, or open WebRTC. */
export type JoinStep = 'ended' | 'fall-back' | 'stay-on-hls' | 'open-webrtc';

export function afterJoin(s: ModeState, joined: { showStatus: string; mediaMode: MediaMode }): JoinStep {
  if (joined.showStatus === 'ended') return 'ended';
  // The server seats a viewer beyond capacity on LL-HLS; only the person's own choice overrides that.
  if (joined.mediaMode === 'hls' && s.reason !== 'chosen') return 'fall-back';
  // Still joined (bids, drops and chat flow the same); only media comes over LL-HLS.
  if (s.mode === 'hls' && s.reason !== 'recovering') return 'stay-on-hls';
  return 'open-webrtc';
}

/** Whether WebRTC gets a deadline to show video before the viewer falls back (never against the person's choice). */
export function watchDeadline(s: ModeState, expectMedia: boolean): boolean {
  return expectMedia && s.reason !== 'chosen';
}

/** A WebRTC connection failed: a chosen WebRTC shows "Try again"; otherwise LL-HLS takes over. */
export function afterTransportFailed(s: ModeState): 'failed' | 'fall-back' {
  return s.reason === 'chosen' ? 'failed' : 'fall-back';
}

export type FailureStep =
  /** The SFU is full: LL-HLS, for capacity. */
  | { kind: 'fall-back' }
  /** The socket dropped: it rejoins by itself when it reopens. */
  | { kind: 'wait' }
  /** Retry after backoff; meanwhile watch in `next` (LL-HLS while a live show's media server restarts). */
  | { kind: 'retry'; next: ModeState }
  /** Out of retries: stay on LL-HLS if it carries the show, else show "Try again". */
  | { kind: 'give-up'; next: ModeState; show: 'hls' | 'failed' | 'unchanged' };

/** A media request failed with `code`; `retryable`: the code allows a retry and retries are left. */
export function afterFailure(
  s: ModeState,
  f: { code: ClientErrorCode | null; socketOpen: boolean; retryable: boolean; showLive: boolean }
): FailureStep {
  if (f.code === 'at_capacity') return { kind: 'fall-back' };
  if (f.code === 'disconnected' || !f.socketOpen) return { kind: 'wait' };
  if (f.retryable) return { kind: 'retry', next: f.showLive && s.mode === 'webrtc' ? { mode: 'hls', reason: 'recovering' } : s };
  if (s.reason === 'recovering') return { kind: 'give-up', next: { mode: s.mode, reason: 'timeout' }, show: 'hls' };
  return { kind: 'give-up', next: s, show: s.mode === 'webrtc' || s.reason === 'chosen' ? 'failed' : 'unchanged' };
}
