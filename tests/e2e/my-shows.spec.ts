import { test, expect } from '@playwright/test';
import { signIn } from './helpers.ts';

test('a host duplicates a show and deletes one from their show list, after confirming', async ({ page }) => {
  await signIn(page);
  const title = `Sunday denim ${Date.now()}`;
  const show = (await (await page.request.post('/api/shows', { data: { title, scheduledAt: Date.now() + 3_600_000 } })).json()).show;

  await page.getByTestId('my-shows-link').click();
  await expect(page).toHaveURL(/\/sell\/shows$/);
  const item = page.locator(`[data-testid="my-show"][data-show-id="${show.id}"]`);
  await item.getByTestId('show-duplicate').click();
  await expect(page.getByTestId('my-shows-notice')).toContainText(`${title} (copy)`);
  const copy = page.locator(`[data-testid="my-show"][data-title="${title} (copy)"]`);
  await expect(copy).toBeVisible();

  // Deleting asks first; keeping it changes nothing.
  await copy.getByTestId('show-delete').click();
  await copy.getByRole('button', { name: 'Keep it' }).click();
  await expect(copy).toBeVisible();
  await copy.getByTestId('show-delete').click();
  await copy.getByTestId('show-confirm-delete').click();
  await expect(page.getByTestId('my-shows-notice')).toContainText('was deleted');
  await expect(copy).toHaveCount(0);
  await expect(item).toBeVisible();
  // Gone from the home page as well.
  await page.goto('/');
  await expect(page.getByTestId('upcoming-shows')).not.toContainText(`${title} (copy)`);
  await expect(page.getByTestId('upcoming-shows')).toContainText(title);
});
