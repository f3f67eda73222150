import { test, expect } from '@playwright/test';
import { signIn } from './helpers.ts';

test('the live demo show plays over LL-HLS with hls.js', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const shows = (await (await page.request.get('/api/shows?status=live')).json()).shows as { id: string; isDemo: boolean }[];
  const demo = shows.find((s) => s.isDemo)!;
  await page.goto(`/room/${demo.id}`);
  await page.getByTestId('switch-mode').click();
  const video = page.getByTestId('hls-video');
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);
  const t1 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(t1 + 1);
  await expect(page.getByTestId('media-mode')).toHaveText(/LL-HLS · \d+(\.\d)? s behind/);
  expect(errors).toEqual([]);
});

test('an ended show becomes a replay whose timeline seeks and offers the product', async ({ browser }) => {
  const ctx = await browser.newContext();
  const host = await ctx.newPage();
  await signIn(host);
  const show = (await (await host.request.post('/api/shows', { data: { title: 'Replay e2e', scheduledAt: Date.now() } })).json()).show;
  const product = (await (await host.request.post('/api/products', { data: { title: 'Wool beanie', currency: 'USD', price: 2500, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await host.goto(`/studio/${show.id}`);
  await host.getByTestId('go-live').click();
  await expect(host.getByTestId('studio-status')).toHaveText(/you are live/i);
  // Let the recording run, pin the product part-way through, and keep going a little.
  await host.waitForTimeout(6000);
  await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } });
  await host.waitForTimeout(5000);
  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();

  const viewer = await ctx.newPage();
  await expect.poll(async () => (await viewer.request.get(`/hls/${show.id}/vod/master.m3u8`)).status(), { timeout: 20_000 }).toBe(200);
  await viewer.goto(`/room/${show.id}`);
  const video = viewer.getByTestId('replay-video');
  await expect(video).toBeVisible();
  await video.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.5);
  await viewer.getByTestId('timeline-entry').first().click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(4);
  await expect(viewer.getByTestId('replay-timeline').getByTestId('product-card')).toContainText('Wool beanie');
  await ctx.close();
});
