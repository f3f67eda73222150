import { expect, test, type Response } from '@playwright/test';
import { expectLiveMedia, goLive, newShow, recordPeerConnections, signIn } from './helpers.ts';

/** The page's Content-Security-Policy names a nonce for scripts and never 'unsafe-inline'. */
function expectNonceOnlyScripts(res: Response | null): void {
  const scriptSrc = (res?.headers()['content-security-policy'] ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? '';
  expect(scriptSrc).toMatch(/'nonce-[^']+'/);
  expect(scriptSrc).not.toContain("'unsafe-inline'");
}

test('studio, room over WebRTC and LL-HLS, moderation check and replay all work under the CSP without a violation', async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext();
  const violations: string[] = [];
  await ctx.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} on ${location.pathname} sample ${e.sample}`))
  );
  // Violations in workers (the moderation worker, hls.js's) reach the console too.
  ctx.on('console', (m) => {
    if (/content security policy|csp violation/i.test(m.text())) violations.push(`${m.location().url}: ${m.text()}`);
  });
  await recordPeerConnections(ctx);

  const host = await ctx.newPage();
  await signIn(host);
  const show = await newShow(host, 'CSP e2e');
  expectNonceOnlyScripts(await host.goto(`/studio/${show.id}`));
  await goLive(host, show.id);
  // The on-device guard (TensorFlow.js on wasm, in a worker) is watching the camera.
  await expect(host.getByTestId('moderation-status')).toHaveAttribute('data-state', 'watching', { timeout: 45_000 });

  const webrtc = await ctx.newPage();
  expectNonceOnlyScripts(await webrtc.goto(`/room/${show.id}`));
  await expectLiveMedia(webrtc);

  const hls = await ctx.newPage();
  await hls.goto(`/room/${show.id}?mode=hls`);
  const live = hls.getByTestId('hls-video');
  await expect.poll(() => live.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);

  const check = await ctx.newPage();
  await check.goto('/studio/moderation-check?frames=3');
  await expect(check.getByTestId('moderation-report')).toBeVisible({ timeout: 45_000 });
  expect(await check.evaluate(() => (window.__moderationReport as { backend: string }).backend)).toBe('wasm');

  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();
  const replay = await ctx.newPage();
  await expect.poll(async () => (await replay.request.get(`/hls/${show.id}/vod/master.m3u8`)).status(), { timeout: 20_000 }).toBe(200);
  await replay.goto(`/room/${show.id}`);
  const video = replay.getByTestId('replay-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await video.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.5);

  expect(violations).toEqual([]);
  await ctx.close();
});
