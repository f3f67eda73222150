import { describe, expect, it } from 'vitest';
import { afterFailure, afterJoin, afterTransportFailed, watchDeadline, type ModeState } from './fallback-policy.ts';

const webrtc: ModeState = { mode: 'webrtc', reason: null };
const chosenHls: ModeState = { mode: 'hls', reason: 'chosen' };
const chosenWebrtc: ModeState = { mode: 'webrtc', reason: 'chosen' };
const recovering: ModeState = { mode: 'hls', reason: 'recovering' };
const failure = { code: 'media_unavailable' as const, socketOpen: true, retryable: true, showLive: true };

describe('after a join', () => {
  it('falls back to LL-HLS when the server seats the viewer there, unless the person chose their mode', () => {
    expect(afterJoin(webrtc, { showStatus: 'live', mediaMode: 'hls' })).toBe('fall-back');
    expect(afterJoin(chosenHls, { showStatus: 'live', mediaMode: 'hls' })).toBe('stay-on-hls');
    expect(afterJoin(chosenWebrtc, { showStatus: 'live', mediaMode: 'hls' })).toBe('open-webrtc');
  });

  it('stays on LL-HLS it already watches, but tries WebRTC again while recovering from a media restart', () => {
    expect(afterJoin({ mode: 'hls', reason: 'capacity' }, { showStatus: 'live', mediaMode: 'webrtc' })).toBe('stay-on-hls');
    expect(afterJoin(recovering, { showStatus: 'live', mediaMode: 'webrtc' })).toBe('open-webrtc');
    expect(afterJoin(webrtc, { showStatus: 'scheduled', mediaMode: 'webrtc' })).toBe('open-webrtc');
  });

  it('stops at an ended show whatever the mode', () => {
    expect(afterJoin(recovering, { showStatus: 'ended', mediaMode: 'hls' })).toBe('ended');
  });
});

describe('WebRTC that does not deliver', () => {
  it('gets a deadline only when media is expected and the person did not insist on WebRTC', () => {
    expect(watchDeadline(webrtc, true)).toBe(true);
    expect(watchDeadline(webrtc, false)).toBe(false);
    expect(watchDeadline(chosenWebrtc, true)).toBe(false);
  });

  it('falls back when its connection fails, or shows "Try again" when WebRTC was chosen', () => {
    expect(afterTransportFailed(webrtc)).toBe('fall-back');
    expect(afterTransportFailed(chosenWebrtc)).toBe('failed');
  });
});

describe('a failed media request', () => {
  it('sends the viewer to LL-HLS when the SFU is full', () => {
    expect(afterFailure(webrtc, { ...failure, code: 'at_capacity', retryable: false })).toEqual({ kind: 'fall-back' });
  });

  it('waits for the socket to reopen rather than retry over a dead one', () => {
    expect(afterFailure(webrtc, { ...failure, code: 'disconnected' })).toEqual({ kind: 'wait' });
    expect(afterFailure(webrtc, { ...failure, socketOpen: false })).toEqual({ kind: 'wait' });
  });

  it('retries a restarting media server with LL-HLS carrying a live show meanwhile', () => {
    expect(afterFailure(webrtc, failure)).toEqual({ kind: 'retry', next: recovering });
    expect(afterFailure(webrtc, { ...failure, showLive: false })).toEqual({ kind: 'retry', next: webrtc });
    expect(afterFailure(chosenHls, failure)).toEqual({ kind: 'retry', next: chosenHls });
  });

  it('after repeated failures stays on LL-HLS if it carries the show, else offers "Try again"', () => {
    const outOfRetries = { ...failure, retryable: false };
    expect(afterFailure(recovering, outOfRetries)).toEqual({ kind: 'give-up', next: { mode: 'hls', reason: 'timeout' }, show: 'hls' });
    expect(afterFailure(webrtc, outOfRetries)).toEqual({ kind: 'give-up', next: webrtc, show: 'failed' });
    expect(afterFailure(chosenHls, outOfRetries)).toEqual({ kind: 'give-up', next: chosenHls, show: 'failed' });
    expect(afterFailure({ mode: 'hls', reason: 'capacity' }, outOfRetries)).toEqual({ kind: 'give-up', next: { mode: 'hls', reason: 'capacity' }, show: 'unchanged' });
  });
});
