import { build } from 'esbuild';
import { expect, type Page } from '@playwright/test';

/**
 * A published client library bundled for the page from node_modules (no network): `entry` re-exports
 * what the test uses onto `window.<globalName>`.
 */
async function bundle(contents: string, globalName: string): Promise<string> {
  const out = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'iife', globalName, platform: 'browser', write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

/** Eyevinn's WHIP web client on the page as `window.WHIP.WHIPClient`. */
export const whipClientScript = () => bundle(`export { WHIPClient } from '@eyevinn/whip-web-client';`, 'WHIP');

/** Eyevinn's WebRTC player on the page as `window.Player.WebRTCPlayer`. */
export const webrtcPlayerScript = () => bundle(`export { WebRTCPlayer } from '@eyevinn/webrtc-player';`, 'Player');

/**
 * The loudest sample of the page's received audio over `ms`, read through Web Audio from the receiver's
 * track (the page may keep its video element muted): above zero only once sound, not silence, arrives.
 */
export async function receivedAudioPeak(page: Page, ms = 1500): Promise<number> {
  return page.evaluate(async (ms) => {
    const tracks = ((window as unknown as { __pcs: RTCPeerConnection[] }).__pcs ?? [])
      .filter((pc) => pc.signalingState !== 'closed')
      .flatMap((pc) => pc.getReceivers().map((r) => r.track))
      .filter((t) => t.kind === 'audio' && t.readyState === 'live');
    if (tracks.length === 0) return 0;
    const ctx = new AudioContext();
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    ctx.createMediaStreamSource(new MediaStream(tracks)).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (const end = performance.now() + ms; performance.now() < end; ) {
      analyser.getFloatTimeDomainData(samples);
      for (const v of samples) peak = Math.max(peak, Math.abs(v));
      await new Promise((r) => setTimeout(r, 20));
    }
    await ctx.close();
    return peak;
  }, ms);
}

/** Waits until the page's received audio carries sound (the fake microphone beeps). */
export async function expectSound(page: Page): Promise<void> {
  await expect.poll(() => receivedAudioPeak(page), { timeout: 15_000 }).toBeGreaterThan(0.01);
}
