import { test, expect } from '@playwright/test';
import { expectLiveMedia, inboundStats, newShow, recordPeerConnections, signIn } from './helpers.ts';
import { expectSound, whipClientScript } from './webrtc-http-clients.ts';

test('an encoder publishes over WHIP with a published client; buyers see and hear it; ending the session leaves the show live', async ({ browser }) => {
  test.setTimeout(150_000);
  const hostContext = await browser.newContext();
  const host = await hostContext.newPage();
  await signIn(host);
  const show = await newShow(host, `WHIP ${Date.now()}`);
  const { key } = await (await host.request.post(`/api/shows/${show.id}/stream-key`)).json();

  // The encoder: the fake camera and microphone through @eyevinn/whip-web-client, as a web encoder would.
  const encoderContext = await browser.newContext({ bypassCSP: true });
  const encoder = await encoderContext.newPage();
  await encoder.goto('/healthz');
  await encoder.addScriptTag({ content: await whipClientScript() });
  const endpoint = new URL(`/whip/${show.id}`, encoder.url()).href;
  await encoder.evaluate(async ({ endpoint, key }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
    const { WHIPClient } = (window as unknown as { WHIP: { WHIPClient: new (o: unknown) => { ingest(s: MediaStream): Promise<void>; getResourceUrl(): Promise<string> } } }).WHIP;
    const client = new WHIPClient({ endpoint, opts: { authkey: key, iceServers: [] } });
    (window as unknown as { __whip: unknown }).__whip = client;
    await client.ingest(stream);
    await client.getResourceUrl();
  }, { endpoint, key });

  // Publishing took the scheduled show live, as the studio's Go live does.
  await expect.poll(async () => (await (await host.request.get(`/api/shows/${show.id}`)).json()).show.status).toBe('live');

  const buyerContext = await browser.newContext();
  await recordPeerConnections(buyerContext);
  const buyer = await buyerContext.newPage();
  await buyer.goto(`/room/${show.id}`);
  await expect(buyer.getByTestId('room-live')).toBeVisible();
  await expectLiveMedia(buyer);
  await expectSound(buyer);

  // A second encoder on the same show is refused while the first publishes.
  const second = await host.request.post(`/whip/${show.id}`, { headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` }, data: 'v=0\r\n' });
  expect(second.status()).toBe(409);

  // DELETE (the client's destroy) ends the publish: the buyer's video stops; the show stays live.
  await encoder.evaluate(() => (window as unknown as { __whip: { destroy(): Promise<void> } }).__whip.destroy());
  const stopped = await expect
    .poll(async () => {
      const before = (await inboundStats(buyer)).framesDecoded;
      await buyer.waitForTimeout(1000);
      return (await inboundStats(buyer)).framesDecoded - before;
    }, { timeout: 15_000 })
    .toBe(0)
    .then(() => true);
  expect(stopped).toBe(true);
  expect((await (await host.request.get(`/api/shows/${show.id}`)).json()).show.status).toBe('live');
  // The room waits for the host, as when a studio stops publishing; it has not ended.
  await expect(buyer.getByTestId('room-waiting')).toBeVisible();
  await expect(buyer.getByTestId('room-ended')).toHaveCount(0);

  await Promise.all([hostContext.close(), encoderContext.close(), buyerContext.close()]);
});
