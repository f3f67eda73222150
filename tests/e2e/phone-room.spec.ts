import { test, expect, type Locator, type Page } from '@playwright/test';
import { fillCheckout, goLive, newBuyer, newShow, signIn } from './helpers.ts';

const PHONE = { width: 390, height: 844 };

/** The control sits wholly inside the first screen of the phone, without scrolling. */
async function expectInFirstViewport(control: Locator): Promise<void> {
  const box = await control.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
}

/** The live video is still advancing behind whatever is open. */
async function expectVideoPlaying(page: Page): Promise<void> {
  const time = () => page.getByTestId('room-video').evaluate((v: HTMLVideoElement) => (v.paused ? -1 : v.currentTime));
  const before = await time();
  expect(before).toBeGreaterThanOrEqual(0);
  await expect.poll(time).toBeGreaterThan(before);
}

test('a phone buyer bids, buys a drop, uses a coupon, checks out the cart and pays a win without leaving the room', async ({ browser }) => {
  // The lot runs long enough that a slow machine still finds it open when the drop arrives beside it.
  test.setTimeout(120_000);
  const hostCtx = await browser.newContext();
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Phone room e2e');
  await goLive(host, show.id);
  const product = (await (await host.request.post('/api/products', { data: { title: 'Linen shirt', currency: 'USD', price: 5000, stock: 5 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
  const lot = (await (await host.request.post(`/api/shows/${show.id}/lots`, {
    data: { title: 'Denim jacket', currency: 'USD', startingPrice: 5200, durationSeconds: 25, counterBidSeconds: 1 }
  })).json()).lot;

  const { ctx, page } = await newBuyer(browser, 'Ann');
  await page.setViewportSize(PHONE);
  const roomUrl = `/room/${show.id}`;
  await page.goto(roomUrl);
  await expect(page.getByTestId('room-live')).toBeVisible();
  // From here on the page neither navigates nor reloads (a reload would drop this marker).
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  // Bid: the button is in thumb reach, and a typed amount below the minimum is refused in dollars.
  expect((await host.request.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);
  const bid = page.getByTestId('bid-button');
  await expect(bid).toHaveText(/\$52\.00/);
  await expectInFirstViewport(bid);
  await page.getByRole('button', { name: /more bid options/i }).click();
  await page.getByLabel(/your amount/i).fill('10');
  await page.getByRole('button', { name: /^bid$/i }).click();
  await expect(page.getByRole('alert')).toHaveText(/at least \$52\.00/);
  await bid.click();
  await expect(page.getByTestId('auction-leader')).toHaveText(/highest bidder/i);
  await expect(page.getByTestId('outbid')).toHaveCount(0);

  // A coupon is claimed during the show; then the host drops the shirt.
  await host.request.post(`/api/shows/${show.id}/coupons`, { data: { code: 'PHONE10', discountKind: 'percent', discountValue: 10, maxClaims: 5 } });
  await page.getByTestId('coupon').getByRole('button', { name: /claim/i }).click();
  await expect(page.getByTestId('coupon')).toContainText(/PHONE10 is yours/);
  await host.request.post(`/api/shows/${show.id}/drops`, { data: { productId: product.id, countdownSeconds: 0 } });
  const buy = page.getByTestId('drop-card').getByTestId('buy-now');
  await expect(buy).toBeVisible();
  await expectInFirstViewport(buy);
  await expectInFirstViewport(bid);

  // Buying opens the payment in a sheet over the stream, with the coupon's discount shown before paying.
  await buy.click();
  const sheet = page.getByTestId('checkout-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId('order-discount')).toHaveText(/PHONE10.*−\$5\.00/);
  await expect(sheet.getByTestId('order-total')).toHaveText('$45.00');
  await expectVideoPlaying(page);
  await fillCheckout(page, 'Ann Buyer', '1 Market St', '4242 4242 4242 4242');
  await sheet.getByTestId('pay').click();
  await expect(sheet.getByTestId('paid')).toBeVisible();
  await expect(sheet.getByTestId('order-total')).toHaveText('$45.00');
  await sheet.getByTestId('back-to-show').click();
  await expect(sheet).toBeHidden();

  // The cart opens in the sheet too: lines can be removed, the total shows, and the address is remembered.
  await page.getByTestId('drop-card').getByTestId('add-to-cart').click();
  await page.getByTestId('drop-card').getByTestId('add-to-cart').click();
  await page.getByTestId('room-cart').click();
  await expect(sheet.getByTestId('cart-line')).toHaveCount(1);
  await expect(sheet.getByTestId('cart-total')).toHaveText(/\$100\.00/);
  await sheet.getByLabel(/quantity/i).fill('1');
  await sheet.getByLabel(/quantity/i).blur();
  await expect(sheet.getByTestId('cart-total')).toHaveText(/\$50\.00/);
  await sheet.getByTestId('cart-checkout').click();
  await expect(sheet.getByTestId('order-total')).toHaveText('$50.00');
  await expect(page.getByLabel(/full name/i)).toHaveValue('Ann Buyer');
  await expect(page.getByLabel(/city/i)).toHaveValue('Seoul');
  await page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
  await page.getByLabel(/expiry/i).fill('12/40');
  await page.getByLabel(/security code/i).fill('123');
  await sheet.getByTestId('pay').click();
  await expect(sheet.getByTestId('paid')).toBeVisible();
  await sheet.getByTestId('back-to-show').click();

  // The lot closes: the winner pays from the win, still in the room.
  await expect(page.getByTestId('you-won')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('pay-win').click();
  await expect(sheet.getByTestId('order-total')).toHaveText('$52.00');
  await page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
  await page.getByLabel(/expiry/i).fill('12/40');
  await page.getByLabel(/security code/i).fill('123');
  await sheet.getByTestId('pay').click();
  await expect(sheet.getByTestId('paid')).toBeVisible();

  expect(new URL(page.url()).pathname).toBe(roomUrl);
  expect(navigations).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  const orders = (await (await ctx.request.get('/api/orders')).json()).orders as { status: string; total: number }[];
  expect(orders.map((o) => [o.status, o.total]).sort()).toEqual([['paid', 4500], ['paid', 5000], ['paid', 5200]].sort());
  for (const c of [hostCtx, ctx]) await c.close();
});
