import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { goLive, inboundStats, newShow, recordPeerConnections, signIn } from './helpers.ts';
import { expectSound, webrtcPlayerScript } from './webrtc-http-clients.ts';

test('a published WHEP player on another site plays a live show', async ({ browser }) => {
  test.setTimeout(150_000);
  const hostContext = await browser.newContext();
  const host = await hostContext.newPage();
  await signIn(host);
  const show = await newShow(host, `WHEP ${Date.now()}`);
  await goLive(host, show.id);

  // A shop's own site on another origin embeds @eyevinn/webrtc-player. It is served from this machine's
  // loopback like Hawker, so Chromium's local-network checks let its cross-origin calls through.
  const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><video id="v" muted autoplay playsinline></video>'));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const shopPage = `http://localhost:${(site.address() as AddressInfo).port}/`;
  const shopContext = await browser.newContext();
  await recordPeerConnections(shopContext);
  const shop = await shopContext.newPage();
  await shop.goto(shopPage);
  await shop.addScriptTag({ content: await webrtcPlayerScript() });
  const endpoint = new URL(`/whep/${show.id}`, host.url()).href;
  await shop.evaluate(async (endpoint) => {
    const { WebRTCPlayer } = (window as unknown as { Player: { WebRTCPlayer: new (o: unknown) => { load(u: URL): Promise<void> } } }).Player;
    const player = new WebRTCPlayer({ video: document.getElementById('v'), type: 'whep', iceServers: [] });
    await player.load(new URL(endpoint));
  }, endpoint);

  await expect.poll(async () => (await inboundStats(shop)).framesDecoded, { timeout: 30_000 }).toBeGreaterThan(10);
  const first = (await inboundStats(shop)).framesDecoded;
  await expect.poll(async () => (await inboundStats(shop)).framesDecoded).toBeGreaterThan(first + 10);
  await expect.poll(() => shop.locator('#v').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await expectSound(shop);
  // The player is a viewer like any other: the studio counts it.
  await expect(host.getByTestId('studio-viewers')).toHaveText(/1/);

  await Promise.all([hostContext.close(), shopContext.close()]);
  site.close();
});
