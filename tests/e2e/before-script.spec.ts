import { test, expect, type Page } from '@playwright/test';
import { signIn } from './helpers.ts';

/** Holds the page's scripts until the returned function is called, as a slow phone or network would. */
async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_app/immutable/**/*.js', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('a form sent before the page’s script runs waits for it: no GET with the fields in the address, nothing typed lost', async ({ page }) => {
  await signIn(page);
  for (const [path, button] of [
    ['/sell/api', 'api-token-create'],
    ['/sell/webhooks', 'webhook-create']
  ] as const) {
    const release = await holdScripts(page);
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    await expect(page.getByTestId(button)).toBeDisabled();
    release();
    await expect(page.getByTestId(button)).toBeEnabled();
    await page.unrouteAll();
  }

  const release = await holdScripts(page);
  await page.goto('/shows/new', { waitUntil: 'domcontentloaded' });
  const title = `Before the script ${Date.now()}`;
  await page.getByLabel(/title/i).fill(title);
  const create = page.getByRole('button', { name: /create show/i });
  await expect(create).toBeDisabled();
  const clicked = create.click();
  await page.waitForTimeout(500);
  expect(page.url()).not.toContain('title=');
  release();
  await clicked;
  await expect(page).toHaveURL(/\/studio\//);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});
