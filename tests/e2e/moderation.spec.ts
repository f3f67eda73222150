import { expect, test, type BrowserContext } from '@playwright/test';

type Report = { backend: string; frames: number; p50_ms: number; fps: number; scores: Record<string, number> };

/** Aborts and records every request that leaves the app's own origin. */
async function offline(context: BrowserContext, baseURL: string): Promise<string[]> {
  const host = new URL(baseURL).host;
  const blocked: string[] = [];
  await context.route((url) => url.host !== host, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  return blocked;
}

test('the moderation model loads offline and classifies fake-camera frames on wasm', async ({ page, context, baseURL }) => {
  const blocked = await offline(context, baseURL!);
  await page.goto('/studio/moderation-check?frames=10');
  await expect(page.getByTestId('moderation-report')).toBeVisible({ timeout: 45_000 });
  const report = (await page.evaluate(() => window.__moderationReport)) as Report;
  expect(report.backend).toBe('wasm');
  expect(report.frames).toBe(10);
  expect(report.p50_ms).toBeGreaterThan(0);
  expect(report.fps).toBeGreaterThan(0);
  expect(Object.keys(report.scores).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
  const total = Object.values(report.scores).reduce((a, b) => a + b, 0);
  expect(total).toBeCloseTo(1, 2);
  // The fake camera's test pattern is not nudity: the guard watches without flagging.
  await expect(page.getByTestId('moderation-status')).toHaveAttribute('data-state', 'watching', { timeout: 15_000 });
  await expect(page.getByTestId('moderation-status')).toContainText(/wasm/);
  await expect(page.getByTestId('moderation-warning')).toHaveCount(0);
  expect(blocked).toEqual([]);
});

test('a threshold forced low flags the broadcast, and raising it clears the flag', async ({ page, context, baseURL }) => {
  const blocked = await offline(context, baseURL!);
  await page.goto('/studio/moderation-check?frames=3&threshold=0.0001');
  await expect(page.getByTestId('moderation-warning')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('moderation-warning')).toHaveText('Broadcast paused: possible nudity detected');
  await expect(page.getByTestId('moderation-events')).toContainText('flagged 1×, cleared 0×');
  // The threshold applies at run time; two safe frames (~3 s) lift the flag.
  await page.getByTestId('moderation-threshold').fill('0.99');
  await expect(page.getByTestId('moderation-warning')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('moderation-events')).toContainText('flagged 1×, cleared 1×');
  expect(blocked).toEqual([]);
});
