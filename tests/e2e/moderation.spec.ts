import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { newShow, signIn } from './helpers.ts';

type Report = { backend: string; threads: number; frames: number; p50_ms: number; fps: number; scores: Record<string, number> };

// Everything off the app's origin is sent to this proxy, which answers nothing. A proxy rather
// than page.route: routes do not see a dedicated worker's requests (the model loads in one).
let blackhole: http.Server;
test.beforeAll(async () => {
  blackhole = http.createServer((_req, res) => res.writeHead(502).end());
  blackhole.on('connect', (_req, socket) => socket.destroy());
  await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise<void>((resolve) => blackhole.close(() => resolve())));

/** A plain product-like photo: a flat colour swatch. */
const swatch = async () => ({
  name: 'swatch.png',
  mimeType: 'image/png',
  buffer: await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2f6fb0' } }).png().toBuffer()
});

/** A page with no network but the app, recording any off-origin request it or its workers make. */
async function offlinePage(browser: Browser, baseURL: string): Promise<{ page: Page; offOrigin: string[] }> {
  const proxy = { server: `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`, bypass: '127.0.0.1,localhost' };
  const context = await browser.newContext({ baseURL, proxy });
  const page = await context.newPage();
  const offOrigin: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/^https?:$/.test(url.protocol) && url.origin !== new URL(baseURL).origin) offOrigin.push(r.url());
  });
  return { page, offOrigin };
}

test('the moderation model loads offline and classifies fake-camera frames on wasm', async ({ browser, baseURL }) => {
  const { page, offOrigin } = await offlinePage(browser, baseURL!);
  const worker = page.waitForEvent('worker');
  await page.goto('/studio/moderation-check?frames=10');
  await expect(page.getByTestId('moderation-report')).toBeVisible({ timeout: 45_000 });
  const report = (await page.evaluate(() => window.__moderationReport)) as Report;
  expect(report.backend).toBe('wasm');
  // The page and the model's worker are cross-origin isolated, so tfjs may use threads: half
  // the logical cores (up to 8), and one below 4 cores, where splitting a frame costs more than it gains.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await (await worker).evaluate(() => self.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(report.threads).toBe(cores < 4 ? 1 : Math.min(8, Math.floor(cores / 2)));
  expect(report.frames).toBe(10);
  expect(report.p50_ms).toBeGreaterThan(0);
  expect(report.fps).toBeGreaterThan(0);
  expect(Object.keys(report.scores).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
  expect(Object.values(report.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  // The fake camera's test pattern is not nudity: the guard watches without flagging.
  await expect(page.getByTestId('moderation-status')).toHaveAttribute('data-state', 'watching', { timeout: 15_000 });
  await expect(page.getByTestId('moderation-status')).toContainText('(wasm)');
  await expect(page.getByTestId('moderation-warning')).toHaveCount(0);
  // Image checks before upload share the worker and the rule.
  await page.getByTestId('moderation-image').setInputFiles(await swatch());
  await expect(page.getByTestId('moderation-image-result')).toContainText('OK to upload');
  expect(offOrigin).toEqual([]);
  await page.context().close();
});

test('a threshold forced low flags the broadcast, and raising it clears the flag', async ({ browser, baseURL }) => {
  const { page, offOrigin } = await offlinePage(browser, baseURL!);
  await page.goto('/studio/moderation-check?frames=3&threshold=0.0001');
  await expect(page.getByTestId('moderation-warning')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('moderation-warning')).toHaveText('Broadcast paused: possible nudity detected');
  await expect(page.getByTestId('moderation-events')).toContainText('flagged 1×, cleared 0×');
  await page.getByTestId('moderation-image').setInputFiles(await swatch());
  await expect(page.getByTestId('moderation-image-result')).toContainText('Would be blocked');
  // The threshold applies at run time; two safe frames (~3 s) lift the flag.
  await page.getByTestId('moderation-threshold').fill('0.99');
  await expect(page.getByTestId('moderation-warning')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('moderation-events')).toContainText('flagged 1×, cleared 1×');
  expect(offOrigin).toEqual([]);
  await page.context().close();
});

test('in the studio a flagged frame pauses and blurs the broadcast and reaches the moderation log', async ({ page }) => {
  await signIn(page);
  const show = await newShow(page, 'Guarded show');
  await page.goto(`/studio/${show.id}?moderation-threshold=0.0001`);
  await page.getByTestId('go-live').click();
  await expect(page.getByTestId('moderation-warning')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('studio-preview')).toHaveClass(/blurred/);
  await expect
    .poll(async () => (await (await page.request.get(`/api/shows/${show.id}/moderation-log`)).json()).entries.map((e: { action: string }) => e.action))
    .toContain('nsfw_frame');
});
