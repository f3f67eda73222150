/**
 * The host: the real studio page going live with the timestamp canvas as its camera, and the
 * sending end of the baseline, the same canvas sent to one peer over a direct RTCPeerConnection.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SIMULCAST_LAYERS } from '../../../shared/media.ts';
import type { ServerHandle } from '../lib/server-process.ts';
import { timestampCamera } from '../lib/timestamp-frames.ts';

export interface Host {
  context: BrowserContext;
  page: Page;
  showId: string;
}

export async function goLive(browser: Browser, server: ServerHandle): Promise<Host> {
  const context = await browser.newContext();
  await context.addInitScript(timestampCamera);
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
 * Sends the host's canvas to `receiver` (a bench page) over one direct peer connection on loopback.
 * It is encoded as the smallest simulcast layer, the one the SFU forwards to the bench's small tiles,
 * so both paths carry the same picture at the same size and bitrate.
 */
export async function connectBaseline(host: Page, receiver: Page): Promise<void> {
  const { scaleResolutionDownBy, maxBitrate } = SIMULCAST_LAYERS[0]!;
  const offer = await host.evaluate(
    async ({ scaleResolutionDownBy, maxBitrate }) => {
      // The timestamp camera answers every getUserMedia with a fresh capture of the same canvas.
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      for (const t of stream.getAudioTracks()) t.stop();
      const pc = new RTCPeerConnection();
      const transceiver = pc.addTransceiver(stream.getVideoTracks()[0]!, { direction: 'sendonly', sendEncodings: [{ scaleResolutionDownBy, maxBitrate }] });
      // VP8, as the SFU's router offers first.
      const codecs = RTCRtpSender.getCapabilities('video')?.codecs ?? [];
      transceiver.setCodecPreferences([...codecs.filter((c) => c.mimeType === 'video/VP8'), ...codecs.filter((c) => c.mimeType !== 'video/VP8')]);
      (window as unknown as { __baseline: RTCPeerConnection }).__baseline = pc;
      await pc.setLocalDescription(await pc.createOffer());
      if (pc.iceGatheringState !== 'complete') {
        await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
      }
      return pc.localDescription!.sdp;
    },
    { scaleResolutionDownBy, maxBitrate }
  );
  const answer = await receiver.evaluate((sdp) => window.bench.answerBaseline(sdp), offer);
  await host.evaluate((sdp) => (window as unknown as { __baseline: RTCPeerConnection }).__baseline.setRemoteDescription({ type: 'answer', sdp }), answer);
}
