import { test, expect } from '@playwright/test';
import { signIn } from './helpers.ts';

test('a host creates an API token, copies it, lists their shows with it from outside the browser, and revokes it', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  const title = `Token show ${Date.now()}`;
  expect((await page.request.post('/api/shows', { data: { title, scheduledAt: Date.now() + 3_600_000 } })).status()).toBe(201);

  await page.getByTestId('my-shows-link').click();
  await page.getByTestId('api-tokens-link').click();
  await expect(page).toHaveURL(/\/sell\/api$/);
  await page.getByTestId('api-token-name').fill('Shop sync');
  await page.getByTestId('api-token-create').click();
  const created = page.getByTestId('api-token-created');
  await expect(created).toContainText('Shop sync');
  await page.getByTestId('api-token-copy').click();
  await expect(page.getByTestId('api-token-copy')).toHaveText('Copied');
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toMatch(/^hawker_pat_/);
  await expect(page.getByTestId('api-token-secret')).toHaveText(token);

  // From the test process: no cookie, only the bearer.
  const listShows = () => fetch(`${baseURL}/api/shows`, { headers: { authorization: `Bearer ${token}` } });
  const ok = await listShows();
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { shows: { title: string }[] }).shows.map((s) => s.title)).toContain(title);

  // Shown once: after "Done" and a reload, the list has the token's use but never the token.
  await page.getByTestId('api-token-dismiss').click();
  await expect(created).toHaveCount(0);
  await page.reload();
  const item = page.locator('[data-testid="api-token"][data-name="Shop sync"]');
  await expect(item).toBeVisible();
  await expect(item.getByTestId('api-token-last-used')).toContainText('Last used');
  expect(await page.content()).not.toContain(token);

  await item.getByTestId('api-token-revoke').click();
  await item.getByTestId('api-token-confirm-revoke').click();
  await expect(page.getByTestId('api-token-notice')).toContainText('“Shop sync” was revoked.');
  await expect(item).toHaveCount(0);
  const refused = await listShows();
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
});
