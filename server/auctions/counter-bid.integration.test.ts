import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, liveShow, postJson } from '../testing/http.ts';

describe('the counter-bid window waits for the viewers in the room', () => {
  let app: RunningApp;
  let admin: string;
  let showId: string;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await adminSession(app.url);
    showId = (await liveShow(app.url, admin, 'Counter-bids')).id;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  const viewer = async () => {
    const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`);
    clients.push(c);
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };
  /** Starts a one-second-window lot and stops it again; the window it ran with, in seconds. */
  const windowOfNextLot = async (): Promise<number> => {
    const lot = (await postJson(`${app.url}/api/shows/${showId}/lots`, { title: 'Lamp', startingPrice: 1000, durationSeconds: 60, counterBidSeconds: 1 }, admin)).json.lot;
    const started = (await postJson(`${app.url}/api/lots/${lot.id}/start`, {}, admin)).json.lot;
    expect((await postJson(`${app.url}/api/lots/${lot.id}/cancel`, {}, admin)).status).toBe(200);
    return started.counterBidSeconds;
  };
  // Each class's latency plus two seconds to react (see counter-bid.ts).
  const webrtcWindow = 3;
  const hlsWindow = 7;

  it('is the WebRTC window while every viewer watches over WebRTC', async () => {
    await viewer();
    expect(await windowOfNextLot()).toBe(webrtcWindow);
  });

  it('grows to the LL-HLS window once a viewer reports watching over LL-HLS, and shrinks when it is back', async () => {
    const onHls = await viewer();
    expect(await onHls.request('reportMediaMode', { mode: 'hls' })).toEqual({});
    expect(await windowOfNextLot()).toBe(hlsWindow);

    expect(await onHls.request('reportMediaMode', { mode: 'webrtc' })).toEqual({});
    expect(await windowOfNextLot()).toBe(webrtcWindow);
  });

  it('takes a report only from a peer in a room, and only a known mode', async () => {
    const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`);
    clients.push(c);
    expect(await c.call('reportMediaMode', { mode: 'hls' })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    await c.request('join', { showId, role: 'viewer' });
    expect(await c.call('reportMediaMode', { mode: 'dash' as never })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await windowOfNextLot()).toBe(webrtcWindow);
  });
});
