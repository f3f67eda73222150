import { test, expect } from '@playwright/test';
import { signIn } from './helpers.ts';

test('every page has a title of its own', async ({ page }) => {
  await signIn(page);
  const paths = ['/', '/signin', '/signup', '/cart', '/orders', '/admin', '/shows/new', '/sell/orders', '/no-such-page'];
  const titles: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page).toHaveTitle(/\S/);
    titles.push(await page.title());
  }
  expect(new Set(titles).size, titles.join(' | ')).toBe(paths.length);
});
