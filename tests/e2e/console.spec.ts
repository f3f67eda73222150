import { test, expect, type Locator, type Page } from '@playwright/test';
import { goLive, newBuyer, newShow, signIn } from './helpers.ts';

const address = { name: 'Ann Buyer', line1: '1 Market St', city: 'Seoul', postalCode: '04524', country: 'kr' };
const card = { number: '4242 4242 4242 4242', expiry: '12/40', cvc: '123' };

/** The element lies wholly inside the page's first viewport (no scrolling needed to see it). */
async function expectInViewport(page: Page, el: Locator): Promise<void> {
  const box = await el.boundingBox();
  const view = page.viewportSize()!;
  expect(box, 'element is rendered').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(view.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(view.height);
}

test('the console fits a laptop: preview, chat and lineup in view; a sale moves the counters without a reload', async ({ browser }) => {
  // Two browsers, live media, a sale, an auction and a reload: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  const hostCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Console e2e');
  const product = (await (await host.request.post('/api/products', { data: { title: 'Wool scarf', currency: 'USD', price: 5000, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  await goLive(host, show.id);

  for (const id of ['studio-preview', 'chat', 'lineup', 'chat-input']) await expectInViewport(host, host.getByTestId(id));
  await expectInViewport(host, host.getByTestId('lineup-item').filter({ hasText: 'Wool scarf' }).getByTestId('drop-button'));
  expect(await host.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  await expect(host.getByTestId('sales-count')).toHaveText('0');

  // A buyer in the room chats, buys and pays; the host sees all of it on the open console.
  const ann = await newBuyer(browser, 'Ann');
  await ann.page.goto(`/room/${show.id}`);
  await ann.page.getByTestId('chat-input').fill('Is the scarf warm?');
  await ann.page.getByTestId('chat-send').click();
  await expect(host.getByTestId('chat-text').filter({ hasText: 'Is the scarf warm?' })).toBeVisible();

  const bought = await ann.ctx.request.post('/api/buy', { data: { showId: show.id, variantId: product.variants[0].id, quantity: 1, idempotencyKey: 'console-e2e-buy-1' } });
  expect(bought.status(), await bought.text()).toBe(201);
  const order = (await bought.json()).order;
  await expect(host.getByTestId('lineup-stock')).toHaveText(/4/);
  await expect(host.getByTestId('feed-entry').filter({ hasText: 'Wool scarf' })).toHaveAttribute('data-kind', 'ordered');
  await expect(host.getByTestId('sales-count')).toHaveText('0');

  expect((await ann.ctx.request.post(`/api/orders/${order.id}/pay`, { data: { shippingAddress: address, card } })).status()).toBe(200);
  await expect(host.getByTestId('sales-count')).toHaveText('1');
  await expect(host.getByTestId('sales-revenue')).toHaveText('$50.00');
  await expect(host.getByTestId('feed-entry').first()).toHaveAttribute('data-kind', 'paid');

  // One click auctions a lineup product: the lot opens at its price; a bid shows in the feed and on the lot.
  await host.getByTestId('lineup-item').filter({ hasText: 'Wool scarf' }).getByTestId('auction-button').click();
  await expect(host.getByTestId('running-lot')).toContainText('Wool scarf');
  await expect(host.getByTestId('host-price')).toHaveText('$50.00');
  await ann.page.getByTestId('bid-button').click();
  await expect(host.getByTestId('feed-entry').first()).toHaveText(/Ann bid \$5\d\.\d\d/);
  await expect(host.getByTestId('host-leader')).toHaveText('Ann');

  // Reopening the studio of a live show asks before broadcasting again.
  await host.reload();
  await expect(host.getByTestId('resume-prompt')).toBeVisible();
  await expect(host.getByTestId('studio-status')).not.toHaveText(/you are live/i);
  await host.getByTestId('go-live').click();
  await expect(host.getByTestId('studio-status')).toHaveText(/you are live/i);
  await expect(host.getByTestId('sales-revenue')).toHaveText('$50.00');

  for (const c of [hostCtx, ann.ctx]) await c.close();
});

test('every push shows its state and clears its form; an ended poll says so to buyers too', async ({ browser }) => {
  const hostCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Pushes e2e');
  await goLive(host, show.id);
  const ben = await newBuyer(browser, 'Ben');
  await ben.page.goto(`/room/${show.id}`);

  await host.getByTestId('tab-notice').click();
  await host.getByTestId('notice-text').fill('Free shipping tonight');
  await host.getByTestId('push-notice').click();
  await expect(host.getByTestId('notice-text')).toHaveValue('');
  await expect(host.getByTestId('notice-state')).toContainText('Free shipping tonight');

  await host.getByTestId('tab-coupon').click();
  await host.getByTestId('coupon-code').fill('WARM10');
  await host.getByTestId('push-coupon').click();
  await expect(host.getByTestId('coupon-code')).toHaveValue('');
  await expect(host.getByTestId('coupon-state').getByTestId('push-state')).toHaveAttribute('data-phase', 'live');

  await host.getByTestId('tab-poll').click();
  await host.getByTestId('poll-question').fill('Which colour next?');
  await host.getByTestId('poll-options').fill('Red, Blue');
  await host.getByTestId('poll-seconds').fill('5');
  await host.getByTestId('push-poll').click();
  await expect(host.getByTestId('poll-question')).toHaveValue('');
  const pollState = host.getByTestId('poll-state').getByTestId('push-state');
  await expect(pollState).toHaveAttribute('data-phase', 'live');
  await expect(ben.page.getByTestId('poll')).toBeVisible();
  await expect(pollState).toHaveAttribute('data-phase', 'ended', { timeout: 10_000 });
  await expect(ben.page.getByTestId('poll-ended')).toBeVisible({ timeout: 10_000 });

  for (const c of [hostCtx, ben.ctx]) await c.close();
});

test('a new show is created only with a start ahead and a cover the server takes', async ({ page }) => {
  await signIn(page);
  const count = async () => (await (await page.request.get('/api/shows?status=scheduled')).json()).shows.length;
  const before = await count();
  await page.goto('/shows/new');
  await page.getByLabel(/title/i).fill('Cover check');
  await page.getByLabel(/cover/i).setInputFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a jpeg') });
  await page.getByRole('button', { name: /create show/i }).click();
  await expect(page.getByRole('alert')).toHaveText(/JPEG, PNG or WebP/);
  await expect(page).toHaveURL(/\/shows\/new$/);
  expect(await count()).toBe(before);

  await page.getByLabel(/cover/i).setInputFiles([]);
  await page.getByLabel(/starts at/i).fill('2020-01-01T10:00');
  await page.getByRole('button', { name: /create show/i }).click();
  await expect(page.getByRole('alert')).toHaveText(/start time/);
  expect(await count()).toBe(before);
});
