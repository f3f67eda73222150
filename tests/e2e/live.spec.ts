import { test, expect } from '@playwright/test';
import { expectLiveMedia, recordPeerConnections, signIn } from './helpers.ts';

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
