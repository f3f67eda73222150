import { test, expect, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { fillCheckout, newBuyer, newShow } from './helpers.ts';

/** The buyer bids the opening price on a lot the seller starts, and waits for the win's order. */
async function win(page: Page, start: () => Promise<unknown>, price: RegExp, orders: number): Promise<void> {
  await start();
  await expect(page.getByTestId('bid-button')).toHaveText(price);
  await page.getByTestId('bid-button').click();
  await expect.poll(async () => (await (await page.request.get('/api/orders')).json()).orders.length, { timeout: 25_000 }).toBe(orders);
}

test('a buyer who won two lots pays for both with one payment from My orders, shipping combined', async ({ browser }) => {
  const admin = await browser.newContext();
  expect((await admin.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const seller = await newBuyer(browser, 'Sol');
  const sellerEmail = (await (await seller.ctx.request.get('/api/me')).json()).user.email;
  expect((await admin.request.put('/api/users/role', { data: { email: sellerEmail, role: 'host' } })).ok()).toBe(true);
  // $5.00 shipping per order, $1.00 per extra item, 10% tax.
  const terms = { currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 100, taxRateBp: 1000 };
  expect((await seller.ctx.request.put('/api/seller-terms', { data: terms })).ok()).toBe(true);
  const show = await newShow(seller.ctx, 'Two lamps e2e');
  expect((await seller.ctx.request.post(`/api/shows/${show.id}/live`)).ok()).toBe(true);
  const lot = async (title: string, startingPrice: number) =>
    (await (await seller.ctx.request.post(`/api/shows/${show.id}/lots`, { data: { title, currency: 'USD', startingPrice, durationSeconds: 10, counterBidSeconds: 1 } })).json()).lot as { id: string };
  const [lamp, kettle] = [await lot('Brass lamp', 3000), await lot('Copper kettle', 2000)];

  const mina = await newBuyer(browser, 'Mina');
  const page = mina.page;
  await page.goto(`/room/${show.id}`);
  await win(page, () => seller.ctx.request.post(`/api/lots/${lamp.id}/start`), /\$30\.00/, 1);
  await win(page, () => seller.ctx.request.post(`/api/lots/${kettle.id}/start`), /\$20\.00/, 2);

  // Each win can still be paid or cancelled on its own.
  await page.goto('/orders');
  const unpaid = page.locator('[data-testid=order][data-status=pending_payment]');
  await expect(unpaid).toHaveCount(2);
  for (const order of await unpaid.all()) {
    await expect(order.getByTestId('pay-order')).toBeVisible();
    await expect(order.getByTestId('cancel-order')).toBeVisible();
  }

  // On a single order's payment page, a card number the server refuses is marked under that input.
  await unpaid.first().getByTestId('pay-order').click();
  await expect(page.getByTestId('pay')).toBeEnabled();
  await fillCheckout(page, 'Mina Park', '1 Sejong-daero', '4242');
  await page.getByTestId('pay').click();
  await expect(page.getByLabel(/card number/i)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('field-error')).toHaveText(/card number/);
  await expect(page.getByRole('alert')).toHaveCount(1);

  // Together: $50.00 of goods, shipping $5.00 + $1.00 instead of $5.00 twice, 10% tax.
  await page.goto('/orders');
  await page.getByTestId('pay-together').click();
  const form = page.getByTestId('pay-together-form');
  await expect(form.getByTestId('together-shipping')).toContainText('$6.00');
  await expect(form.getByTestId('together-shipping')).toContainText('$10.00');
  await expect(form.getByTestId('together-total')).toHaveText('$61.00');
  await expect(form.getByTestId('pay-together-submit')).toHaveText(/\$61\.00/);
  await expect(form.getByTestId('pay-together-submit')).toBeEnabled();
  await fillCheckout(page, 'Mina Park', '1 Sejong-daero', '4242 4242 4242 4242');
  await form.getByLabel(/expiry/i).fill('13/40');
  await form.getByTestId('pay-together-submit').click();
  await expect(form.getByLabel(/expiry/i)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('field-error')).toHaveText(/expiry/);

  const payments: string[] = [];
  page.on('request', (r) => r.url().includes('/api/orders/') && r.method() === 'POST' && payments.push(r.url()));
  await form.getByLabel(/expiry/i).fill('12/40');
  await form.getByTestId('pay-together-submit').click();
  await expect(page.getByTestId('paid-together')).toContainText('$61.00');
  await expect(page.locator('[data-testid=order][data-status=paid]')).toHaveCount(2);
  await expect(page.getByTestId('pay-order')).toHaveCount(0);
  await expect(page.getByTestId('pay-together')).toHaveCount(0);
  expect(payments).toEqual([expect.stringMatching(/\/api\/orders\/pay-together$/)]);
  for (const c of [admin, seller.ctx, mina.ctx]) await c.close();
});
