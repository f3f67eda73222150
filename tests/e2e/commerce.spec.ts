import { test, expect } from '@playwright/test';
import { newBuyer, newShow, signIn } from './helpers.ts';

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

  await ann.page.getByTestId('drop-card').getByTestId('buy-now').click();
  await expect(ann.page).toHaveURL(/\/orders\/.+\/pay/);
  await expect(ann.page.getByTestId('order-total')).toHaveText('$40.00');
  await expect(ben.page.getByTestId('drop-card').getByTestId('stock')).toHaveText(/1 left/);

  await ann.page.getByLabel(/full name/i).fill('Ann Buyer');
  await ann.page.getByLabel(/^address/i).fill('1 Market St');
  await ann.page.getByLabel(/city/i).fill('Seoul');
  await ann.page.getByLabel(/postal code/i).fill('04524');
  await ann.page.getByLabel(/country/i).fill('KR');
  await ann.page.getByLabel(/card number/i).fill('4000 0000 0000 0002');
  await ann.page.getByLabel(/expiry/i).fill('12/40');
  await ann.page.getByLabel(/security code/i).fill('123');
  await ann.page.getByTestId('pay').click();
  await expect(ann.page.getByRole('alert')).toHaveText(/declined/);
  await ann.page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
  await ann.page.getByTestId('pay').click();
  await expect(ann.page.getByTestId('paid')).toBeVisible();

  // Ben takes the last one; his screen then shows it sold out.
  await ben.page.getByTestId('drop-card').getByTestId('buy-now').click();
  await expect(ben.page).toHaveURL(/\/orders\/.+\/pay/);
  await ben.page.goBack();
  await expect(ben.page.getByTestId('drop-card').getByTestId('sold-out')).toBeVisible();
  await expect(ben.page.getByTestId('drop-card').getByTestId('buy-now')).toBeDisabled();

  await expect.poll(async () => (await (await host.request.get(`/api/shows/${show.id}/sales`)).json()).orders.length).toBe(2);
  for (const c of [hostCtx, ann.ctx, ben.ctx]) await c.close();
});
