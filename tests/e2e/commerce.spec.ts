import { test, expect } from '@playwright/test';
import { fillCheckout, newBuyer, newShow, signIn } from './helpers.ts';

test('the host drops a product; one buyer checks out with the test card; another sees stock fall to sold out', async ({ browser }) => {
  const hostCtx = await browser.newContext();
  const host = await hostCtx.newPage();
  await signIn(host);
  const show = await newShow(host, 'Drop e2e');
  await host.request.post(`/api/shows/${show.id}/live`);
  const product = (await (await host.request.post('/api/products', { data: { title: 'Linen shirt', currency: 'USD', price: 5000, stock: 2 } })).json()).product;
  await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });

  const ann = await newBuyer(browser, 'Ann');
  const ben = await newBuyer(browser, 'Ben');
  for (const b of [ann, ben]) await b.page.goto(`/room/${show.id}`);
  await expect(ben.page.getByTestId('shop-overlay')).toBeAttached();

  await host.goto(`/studio/${show.id}`);
  await host.getByTestId('sale-quantity').fill('2');
  await host.getByTestId('drop-button').click();

  // Both see the countdown, then the card at the same server instant.
  await expect(ann.page.getByTestId('drop-countdown')).toBeVisible();
  await expect(ben.page.getByTestId('drop-card')).toBeVisible({ timeout: 10_000 });
  await expect(ben.page.getByTestId('drop-card').getByTestId('stock')).toHaveText(/2 left/);

  // Payment opens over the stream, in the room.
  await ann.page.getByTestId('drop-card').getByTestId('buy-now').click();
  await expect(ann.page.getByTestId('checkout-sheet')).toBeVisible();
  await expect(ann.page.getByTestId('order-total')).toHaveText('$40.00');
  await expect(ben.page.getByTestId('drop-card').getByTestId('stock')).toHaveText(/1 left/);

  await fillCheckout(ann.page, 'Ann Buyer', '1 Market St', '4000 0000 0000 0002');
  await ann.page.getByTestId('pay').click();
  await expect(ann.page.getByRole('alert')).toHaveText(/declined/);
  await ann.page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
  await ann.page.getByTestId('pay').click();
  await expect(ann.page.getByTestId('paid')).toBeVisible();

  // Ben takes the last one; his screen then shows it sold out.
  await ben.page.getByTestId('drop-card').getByTestId('buy-now').click();
  await expect(ben.page.getByTestId('checkout-sheet')).toBeVisible();
  await ben.page.getByTestId('sheet-close').click();
  await expect(ben.page.getByTestId('drop-card').getByTestId('sold-out')).toBeVisible();
  await expect(ben.page.getByTestId('drop-card').getByTestId('buy-now')).toBeDisabled();

  await expect.poll(async () => (await (await host.request.get(`/api/shows/${show.id}/sales`)).json()).orders.length).toBe(2);
  for (const c of [hostCtx, ann.ctx, ben.ctx]) await c.close();
});

test('a cart holding two hosts’ products checks out as one order per seller, each paid on its own', async ({ browser }) => {
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await signIn(admin);
  const other = await newBuyer(browser, 'Otto');
  const otto = (await (await other.ctx.request.get('/api/me')).json()).user;
  expect((await admin.request.put('/api/users/role', { data: { email: otto.email, role: 'host' } })).status()).toBe(200);

  // Each host runs a live show with one pinned product.
  const shops = [];
  for (const [host, title] of [[admin, 'Clay bowl'], [other.page, 'Glass jar']] as const) {
    const show = await newShow(host, `${title} show`);
    await host.request.post(`/api/shows/${show.id}/live`);
    const product = (await (await host.request.post('/api/products', { data: { title, currency: 'USD', price: 2500, stock: 3 } })).json()).product;
    await host.request.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [product.id] } });
    expect((await host.request.put(`/api/shows/${show.id}/pins`, { data: { productIds: [product.id] } })).status()).toBe(200);
    shops.push({ show, title });
  }

  const buyer = await newBuyer(browser, 'Cara');
  for (const { show, title } of shops) {
    await buyer.page.goto(`/room/${show.id}`);
    const card = buyer.page.getByTestId('product-card').filter({ hasText: title });
    await card.getByRole('button', { name: /add to cart/i }).click();
  }
  await buyer.page.goto('/cart');
  await buyer.page.getByRole('button', { name: /check out/i }).click();
  await expect(buyer.page).toHaveURL(/\/orders\?split=1/);
  await expect(buyer.page.getByTestId('orders-split')).toBeVisible();
  await expect(buyer.page.getByTestId('pay-order')).toHaveCount(2);

  await buyer.page.getByTestId('pay-order').first().click();
  await expect(buyer.page.getByTestId('order-total')).toHaveText('$25.00');
  await fillCheckout(buyer.page, 'Cara Buyer', '2 Market St', '4242 4242 4242 4242');
  await buyer.page.getByTestId('pay').click();
  await expect(buyer.page.getByTestId('paid')).toBeVisible();

  // Each host sees exactly their own sale.
  for (const [host, { show }] of [[admin, shops[0]!], [other.page, shops[1]!]] as const) {
    expect((await (await host.request.get(`/api/shows/${show.id}/sales`)).json()).orders).toHaveLength(1);
  }
  for (const c of [adminCtx, other.ctx, buyer.ctx]) await c.close();
});
