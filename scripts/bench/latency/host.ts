/**
 * The host: the real studio page going live with the timestamp canvas as its camera, and the
 * sending end of the baseline, the same canvas sent to one peer over a direct RTCPeerConnection.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SIMULCAST_LAYERS } from '#shared/media.ts';
import type { ServerHandle } from '../lib/server-process.ts';
import { timestampCamera } from '../lib/timestamp-frames.ts';
import { recordPeerConnections } from './peer-stats.ts';

export interface Host {
  context: BrowserContext;
  page: Page;
  showId: string;
}

/** Signs in as `server.admin`, creates a show and goes live from the studio. */
export async function goLive(browser: Browser, server: Pick<ServerHandle, 'url' | 'admin'>): Promise<Host> {
  const context = await browser.newContext();
  await context.addInitScript(timestampCamera);
  await context.addInitScript(recordPeerConnections);
  const signin = await context.request.post(`${server.url}/api/auth/signin`, { data: server.admin });
  if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
  const created = await context.request.post(`${server.url}/api/shows`, { data: { title: 'Latency bench', scheduledAt: Date.now() } });
  const showId = (await created.json()).show.id as string;
  const page = await context.newPage();
  await page.goto(`${server.url}/studio/${showId}`);
  await page.getByTestId('go-live').click();
  await page.getByTestId('studio-status').filter({ hasText: /live/i }).waitFor();
  return { context, page, showId };
}

/**
 * Sends the host's camera, the timestamp canvas and its tone, to `receiver` (a bench page) over one
 * direct peer connection on loopback, as a call would: the full picture at the top layer's bitrate,
 * sound and picture in one stream so the receiver keeps them in sync as the room's viewers do.
 */
export async function connectBaseline(host: Page, receiver: Page): Promise<void> {
  const top = SIMULCAST_LAYERS.at(-1)!;
  const offer = await host.evaluate(
    async ({ maxBitrate }) => {
      // The timestamp camera answers every getUserMedia with a fresh capture of the same canvas.
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const pc = new RTCPeerConnection();
      for (const track of stream.getTracks()) {
        const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [stream] };
        if (track.kind === 'video') init.sendEncodings = [{ maxBitrate }];
        const transceiver = pc.addTransceiver(track, init);
        if (track.kind !== 'video') continue;
        // VP8, as the SFU's router offers first.
        const codecs = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
        transceiver.setCodecPreferences([...codecs.filter((c) => c.mimeType === 'video/VP8'), ...codecs.filter((c) => c.mimeType !== 'video/VP8')]);
      }
      (window as unknown as { __baseline: RTCPeerConnection }).__baseline = pc;
      await pc.setLocalDescription(await pc.createOffer());
      if (pc.iceGatheringState !== 'complete') {
        await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
      }
      return pc.localDescription!.sdp;
    },
    { maxBitrate: top.maxBitrate }
  );
  const answer = await receiver.evaluate((sdp) => window.bench.answerBaseline(sdp), offer);
  await host.evaluate((sdp) => (window as unknown as { __baseline: RTCPeerConnection }).__baseline.setRemoteDescription({ type: 'answer', sdp }), answer);
}
