import { test, expect } from '@playwright/test';
import { expectLiveMedia, inboundStats, recordPeerConnections, recordWebSockets, signIn } from './helpers.ts';

test('a host goes live from the browser, two buyers watch, the host ends the show', async ({ browser }) => {
  const hostContext = await browser.newContext();
  const host = await hostContext.newPage();
  await signIn(host);

  await host.goto('/shows/new');
  const title = `Live test ${Date.now()}`;
  await host.getByLabel(/title/i).fill(title);
  await host.getByRole('button', { name: /create show/i }).click();
  await expect(host).toHaveURL(/\/studio\//);
  const showId = host.url().split('/studio/')[1]!;

  // The fake camera shows up in the preview before going live.
  await expect.poll(() => host.getByTestId('studio-preview').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await host.getByTestId('go-live').click();
  await expect(host.getByTestId('studio-status')).toHaveText(/you are live/i);

  const buyers = await Promise.all(
    [0, 1].map(async () => {
      const ctx = await browser.newContext();
      await recordPeerConnections(ctx);
      await recordWebSockets(ctx);
      const page = await ctx.newPage();
      await page.goto(`/room/${showId}`);
      return { ctx, page };
    })
  );
  for (const { page } of buyers) {
    await expect(page.getByTestId('room-live')).toBeVisible();
    await expectLiveMedia(page);
  }
  await expect(host.getByTestId('studio-viewers')).toHaveText(/2/);

  // A buyer whose socket drops rejoins on its own and gets video again on a new connection.
  const dropped = buyers[0]!.page;
  const pcsBefore = await dropped.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length);
  await dropped.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.at(-1)!.close());
  await expect.poll(() => dropped.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length)).toBeGreaterThan(pcsBefore);
  await expect(dropped.getByTestId('room-live')).toBeVisible();
  const framesAfterRejoin = (await inboundStats(dropped)).framesDecoded;
  await expect.poll(async () => (await inboundStats(dropped)).framesDecoded).toBeGreaterThan(framesAfterRejoin + 10);

  // Switching camera swaps the track in place: the buyer keeps decoding without rejoining.
  const other = buyers[1]!.page;
  const pcsOther = await other.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length);
  await host.getByTestId('camera-select').dispatchEvent('change');
  const framesAfterSwitch = (await inboundStats(other)).framesDecoded;
  await expect.poll(async () => (await inboundStats(other)).framesDecoded).toBeGreaterThan(framesAfterSwitch + 10);
  expect(await other.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length)).toBe(pcsOther);
  await expect(host.getByTestId('studio-status')).toHaveText(/you are live/i);

  // The API lists it as live.
  const live = await host.request.get('/api/shows?status=live');
  expect((await live.json()).shows.map((s: { id: string }) => s.id)).toContain(showId);

  host.once('dialog', (d) => void d.accept());
  await host.getByTestId('end-show').click();
  for (const { page } of buyers) await expect(page.getByTestId('room-ended')).toBeVisible();

  for (const { ctx } of buyers) await ctx.close();
  await hostContext.close();
});

test('the demo show plays without a host', async ({ browser }) => {
  const ctx = await browser.newContext();
  await recordPeerConnections(ctx);
  const page = await ctx.newPage();
  await page.goto('/');
  const card = page.getByTestId('live-shows').getByTestId('show-card').filter({ hasText: /demo/i }).first();
  await card.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/room\//);
  await expectLiveMedia(page);
  await ctx.close();
});
