import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, liveShow } from '../testing/http.ts';
import { TestWsClient } from '../testing/ws-client.ts';

/** What mediasoup-client sends for a camera track, with the given VP8 parameters and RTCP name. */
function vp8Produce(transportId: string, parameters: Record<string, string | number>, cname = 'Vx9kQ2+abc/Def==') {
  return {
    transportId,
    kind: 'video' as const,
    rtpParameters: {
      mid: '0',
      codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters, rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
      encodings: [{ ssrc: 11111111 }],
      rtcp: { cname, reducedSize: true }
    }
  };
}

describe('codec parameters from a host', () => {
  let app: RunningApp;
  let host: TestWsClient;
  let transportId: string;

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    const cookie = await adminSession(app.url);
    const show = await liveShow(app.url, cookie, 'Codec show');
    host = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie });
    await host.request('join', { showId: show.id, role: 'host' });
    transportId = (await host.request('createTransport', { direction: 'send' })).id;
  });

  afterAll(async () => {
    host.close();
    await app.close();
  });

  it('refuses a produce whose parameter value carries a line break and an SDP attribute', async () => {
    const reply = await host.call('produce', vp8Produce(transportId, { 'x-google-start-bitrate': '1000\r\na=source-filter: incl IN IP4 * 10.0.0.1' }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('refuses parameter names and RTCP names that could break a description', async () => {
    expect(await host.call('produce', vp8Produce(transportId, { 'max-fr\r\na=x': 30 }))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await host.call('produce', vp8Produce(transportId, { 'max-fr': '30;a=x' }))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await host.call('produce', vp8Produce(transportId, {}, 'abc\r\na=ssrc:1 cname:x'))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('accepts the parameters browsers really send', async () => {
    const reply = await host.call('produce', vp8Produce(transportId, { 'x-google-start-bitrate': 1000, 'max-fs': 12288, 'max-fr': 60 }, '{2c5d6a7e-59f1-4b7c-9d1e-0a1b2c3d4e5f}'));
    expect(reply).toMatchObject({ ok: true, data: { producerId: expect.any(String) } });
  });
});
