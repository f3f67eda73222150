import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaMode } from '$shared/media';
import { fakeConnection, settle, type SentRequest } from '$lib/testing/fake-socket';
import { Viewer } from './viewer.svelte';

/** A server that seats the viewer in `mediaMode` on every join of a live show. */
function server(mediaMode: MediaMode) {
  return (req: SentRequest) =>
    req.method === 'join'
      ? { data: { peerId: 'p1', showStatus: 'live', mediaMode, routerRtpCapabilities: {}, producerCount: 1 } }
      : { data: {} };
}

const reports = (sent: SentRequest[]) => sent.filter((r) => r.method === 'reportMediaMode').map((r) => r.data);

describe('the viewer reports its media mode', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('after the join that seats it on LL-HLS (a full SFU), and again after every rejoin', async () => {
    const c = fakeConnection(server('hls'));
    const viewer = new Viewer('s1', c.client, 'live');
    c.socket.open();
    await settle();
    expect(viewer.mode).toBe('hls');
    expect(viewer.modeReason).toBe('capacity');
    expect(reports(c.sent)).toEqual([{ mode: 'hls' }]);

    c.socket.drop();
    vi.runOnlyPendingTimers();
    c.socket.open();
    await settle();
    expect(reports(c.sent)).toEqual([{ mode: 'hls' }, { mode: 'hls' }]);
    // Each report follows its own join: the server keeps the mode per joined peer.
    expect(c.sockets[1]!.sent.map((r) => r.method)).toEqual(['join', 'reportMediaMode']);
    viewer.close();
  });

  it('when the person chose LL-HLS, without ever opening WebRTC', async () => {
    const c = fakeConnection(server('webrtc'));
    const viewer = new Viewer('s1', c.client, 'live', { mode: 'hls' });
    c.socket.open();
    await settle();
    expect(reports(c.sent)).toEqual([{ mode: 'hls' }]);
    expect(c.sent.map((r) => r.method)).not.toContain('createTransport');
    viewer.close();
  });

  it('not before it has joined, and not for an ended show it never joins', async () => {
    const c = fakeConnection(() => undefined);
    const viewer = new Viewer('s1', c.client, 'live', { mode: 'hls' });
    c.socket.open();
    await settle();
    expect(reports(c.sent)).toEqual([]);
    const ended = new Viewer('s1', c.client, 'ended');
    expect(ended.joinsOnOpen).toBe(false);
    viewer.close();
    ended.close();
  });
});
