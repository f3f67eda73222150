import { test, expect, type Page } from '@playwright/test';
import { goLive, newShow, signIn } from './helpers.ts';

async function demoShowId(page: Page): Promise<string> {
  const shows = (await (await page.request.get('/api/shows?status=live')).json()).shows as { id: string; isDemo: boolean }[];
  return shows.find((s) => s.isDemo)!.id;
}

test('the live demo show plays over LL-HLS with hls.js', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/room/${await demoShowId(page)}`);
  await page.getByTestId('switch-mode').click();
  const video = page.getByTestId('hls-video');
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);
  const t1 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(t1 + 1);
  await expect(page.getByTestId('media-mode')).toHaveText(/LL-HLS · \d+(\.\d)? s behind/);
  expect(errors).toEqual([]);
});

test('a pin reaches WebRTC viewers at once and LL-HLS viewers when their video reaches its mark in the stream', async ({ browser }) => {
  const ctx = await browser.newContext();
  const host = await ctx.newPage();
  await signIn(host);
  const showId = await demoShowId(host);
  const title = `Timed scarf ${Date.now()}`;
  const product = (await (await host.request.post('/api/products', { data: { title, currency: 'USD', price: 1800, stock: 3 } })).json()).product;
  const lineup = (await (await host.request.get(`/api/shows/${showId}/lineup`)).json()).products as { id: string }[];
  await host.request.put(`/api/shows/${showId}/lineup`, { data: { productIds: [...lineup.map((p) => p.id), product.id] } });

  const live = await ctx.newPage();
  await live.goto(`/room/${showId}`);
  await expect(live.getByTestId('media-mode')).toHaveText(/WebRTC/);
  const hls = await ctx.newPage();
  // A link can open the room on LL-HLS directly.
  await hls.goto(`/room/${showId}?mode=hls`);
  await expect(hls.getByTestId('media-mode')).toHaveText(/LL-HLS/);
  const video = hls.getByTestId('hls-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);

  // Watch the HLS page frame by frame for the card, noting where its video is when the card appears.
  const seen = hls.waitForFunction(
    (name) => {
      const card = [...document.querySelectorAll('[data-testid="shop-overlay"] [data-testid="product-card"]')].find((c) => c.textContent?.includes(name));
      if (!card) return null;
      const v = document.querySelector<HTMLVideoElement>('[data-testid="hls-video"]')!;
      const cues = [...v.textTracks].filter((t) => t.kind === 'metadata').flatMap((t) => [...(t.cues ?? [])]);
      return { currentTime: v.currentTime, cues: cues.map((c) => ({ id: c.id, startTime: c.startTime })) };
    },
    title,
    { polling: 'raf', timeout: 20_000 }
  );
  const pinned = (await (await host.request.put(`/api/shows/${showId}/pins`, { data: { productIds: [product.id] } })).json()).overlay;
  await expect(live.getByTestId('shop-overlay').getByTestId('product-card').filter({ hasText: title })).toBeVisible();
  const at = (await (await seen).jsonValue())!;
  const cue = at.cues.find((c) => c.id === `overlay-${pinned.rev}`);
  expect(cue, 'the pin is marked in the stream').toBeDefined();
  // Shown once playback reached the mark, not when the ws message came (the video was then ~1 s short of it).
  expect(at.currentTime).toBeGreaterThanOrEqual(cue!.startTime - 0.05);
  await ctx.close();
});

test('a buyer waiting on LL-HLS before the show starts sees it once the host goes live', async ({ browser }) => {
  const ctx = await browser.newContext();
  const host = await ctx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Early HLS buyer');
  const buyer = await ctx.newPage();
  await buyer.goto(`/room/${show.id}?mode=hls`);
  await expect(buyer.getByTestId('room-waiting')).toBeVisible();
  const video = buyer.getByTestId('hls-video');
  await expect(video).toBeAttached();
  // No stream yet: the player's requests fail for longer than hls.js retries on its own.
  await buyer.waitForTimeout(4000);
  await goLive(host, show.id);
  await expect(buyer.getByTestId('room-waiting')).toHaveCount(0);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 40_000 }).toBeGreaterThan(1);
  await expect(buyer.getByTestId('hls-error')).toHaveCount(0);
  await ctx.close();
});

test('an ended show becomes a replay whose timeline seeks to a push or a lot and offers the product', async ({ browser }) => {
  const ctx = await browser.newContext();
  const host = await ctx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Replay e2e');
  const product = (await (await host.request.post('/api/products', { data: { title: 'Wool beanie', currency: 'USD', price: 2500, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await goLive(host, show.id);
  // Let the recording run, pin the product part-way through, and keep going a little.
  await host.waitForTimeout(6000);
  await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } });
  await host.waitForTimeout(4000);
  const lot = (await (await host.request.post(`/api/shows/${show.id}/lots`, { data: { title: 'Vintage lamp', startingPrice: 1000, durationSeconds: 60 } })).json()).lot;
  await host.request.post(`/api/lots/${lot.id}/start`);
  await host.waitForTimeout(3000);
  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();

  const viewer = await ctx.newPage();
  await expect.poll(async () => (await viewer.request.get(`/hls/${show.id}/vod/master.m3u8`)).status(), { timeout: 20_000 }).toBe(200);
  await viewer.goto(`/room/${show.id}`);
  const video = viewer.getByTestId('replay-video');
  await expect(video).toBeVisible();
  // Play once hls.js has attached and read the metadata; a play() before that is cut off by hls.js's own load.
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await video.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.5);
  await viewer.getByTestId('timeline-entry').first().click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(4);
  await expect(viewer.getByTestId('replay-timeline').getByTestId('product-card')).toContainText('Wool beanie');
  // The lot opened about 4 s after the pin: from the start, its entry seeks there.
  await video.evaluate((v: HTMLVideoElement) => (v.currentTime = 0));
  await viewer.getByTestId('timeline-lot').filter({ hasText: 'Vintage lamp' }).getByRole('button').click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(8);
  // A replay is watched, not bid on or chatted in.
  await expect(viewer.getByTestId('chat-read-only')).toBeVisible();
  await expect(viewer.getByTestId('chat-input')).toHaveCount(0);
  await expect(viewer.getByTestId('auction-panel')).toHaveCount(0);
  await ctx.close();
});
