import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeConnection, settle, type SentRequest } from '$lib/testing/fake-socket';

// WebRTC itself is not in this runtime: a transport that hands out consumers with a track stands in.
const opened = vi.hoisted(() => ({ count: 0 }));
vi.mock('./open-transport', () => ({
  openTransport: async () => {
    opened.count++;
    const transport = {
      on: () => {},
      close: () => {},
      consume: async (info: { id: string }) => ({ id: info.id, track: {}, close: () => {} })
    };
    return { device: { rtpCapabilities: {} }, transport };
  }
}));
const { Viewer } = await import('./viewer.svelte');

function liveShow(req: SentRequest) {
  if (req.method === 'join') return { data: { peerId: 'p1', showStatus: 'live', mediaMode: 'webrtc', routerRtpCapabilities: {}, producerCount: 2 } };
  if (req.method === 'consume') return { data: { consumers: [{ id: `c${req.id}`, producerId: 'v', kind: 'video', rtpParameters: {} }] } };
  return { data: {} };
}

describe('a viewer whose socket drops', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('MediaStream', class {});
    opened.count = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('rejoins over WebRTC even when its first join’s video deadline falls while it reconnects', async () => {
    const c = fakeConnection(liveShow);
    const viewer = new Viewer('s1', c.client, 'live');
    c.socket.open();
    await settle();
    expect(viewer.phase).toBe('live');
    expect(opened.count).toBe(1);

    // The socket drops just before the first join's 6 s deadline and comes back (after 250 ms) just after it.
    await vi.advanceTimersByTimeAsync(5_900);
    c.socket.drop();
    await vi.advanceTimersByTimeAsync(250);
    c.socket.open();
    await settle();

    expect(viewer.mode).toBe('webrtc');
    expect(viewer.modeReason).toBe(null);
    expect(opened.count).toBe(2);
    expect(viewer.phase).toBe('live');
    viewer.close();
  });
});
