import { test, expect } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { fillCheckout, newBuyer, newShow } from './helpers.ts';

test('a winner pays from the win; after the show ended the seller ships with tracking from /sell/orders and the buyer sees it', async ({ browser }) => {
  // A host who is not an admin: they see their own sales only.
  const admin = await browser.newContext();
  expect((await admin.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const seller = await newBuyer(browser, 'Sasha');
  const sellerEmail = (await (await seller.ctx.request.get('/api/me')).json()).user.email;
  expect((await admin.request.put('/api/users/role', { data: { email: sellerEmail, role: 'host' } })).ok()).toBe(true);
  // The seller charges $5 shipping per order and 10% tax. The saved terms reach the page only after the seller has
  // typed (or after 2 s), as on a busy server: they must not overwrite what was typed.
  let typed!: () => void;
  const typing = new Promise<void>((resolve) => (typed = resolve));
  await seller.page.route('**/api/seller-terms', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    await Promise.race([typing, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await route.fulfill({ response });
  });
  const termsLoaded = seller.page.waitForResponse((r) => r.url().endsWith('/api/seller-terms') && r.request().method() === 'GET');
  await seller.page.goto('/sell/orders');
  await seller.page.getByTestId('seller-terms').locator('summary').click();
  await seller.page.getByTestId('terms-per-order').fill('5.00');
  await seller.page.getByTestId('terms-per-extra').fill('1.00');
  await seller.page.getByTestId('terms-tax-rate').fill('10');
  typed();
  await termsLoaded;
  await seller.page.getByTestId('terms-save').click();
  await expect(seller.page.getByTestId('seller-terms').getByRole('status')).toBeVisible();
  const show = await newShow(seller.ctx, 'Selling e2e');
  await seller.ctx.request.post(`/api/shows/${show.id}/live`);
  const lot = (await (await seller.ctx.request.post(`/api/shows/${show.id}/lots`, {
    data: { title: 'Brass lamp', currency: 'USD', startingPrice: 3000, durationSeconds: 10, counterBidSeconds: 1 }
  })).json()).lot;

  // The buyer wins the lot.
  const ann = await newBuyer(browser, 'Ann');
  await ann.page.goto(`/room/${show.id}`);
  expect((await seller.ctx.request.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);
  await expect(ann.page.getByTestId('bid-button')).toHaveText(/\$30\.00/);
  await ann.page.getByTestId('bid-button').click();
  await expect(ann.page.getByTestId('you-won')).toBeVisible({ timeout: 20_000 });

  // Pay now opens the win's payment, with shipping and tax before paying; a declined card leaves it payable.
  await ann.page.getByTestId('pay-win').click();
  const sheet = ann.page.getByTestId('checkout-sheet');
  await expect(sheet.getByTestId('order-shipping')).toContainText('$5.00');
  await expect(sheet.getByTestId('order-tax')).toContainText('$3.00');
  await expect(sheet.getByTestId('order-total')).toHaveText('$38.00');
  await fillCheckout(ann.page, 'Ann Buyer', '1 Market St', '4000 0000 0000 0002');
  await sheet.getByTestId('pay').click();
  await expect(sheet.getByRole('alert')).toBeVisible();

  // Meanwhile My orders offers Pay and Cancel for it, and the win's own link opens its payment page.
  const other = await ann.ctx.newPage();
  await other.goto('/orders');
  const unpaid = other.getByTestId('order').filter({ hasText: 'Brass lamp' });
  await expect(unpaid.getByTestId('pay-order')).toBeVisible();
  await expect(unpaid.getByTestId('cancel-order')).toBeVisible();
  await other.goto(`/orders?lot=${lot.id}`);
  await expect(other).toHaveURL(/\/orders\/[^/]+\/pay$/);
  await expect(other.getByTestId('order-total')).toHaveText('$38.00');
  await other.close();

  await ann.page.getByLabel(/card number/i).fill('4242 4242 4242 4242');
  await sheet.getByTestId('pay').click();
  await expect(sheet.getByTestId('paid')).toBeVisible();

  // The show ends; the seller finds the order from the header, filtered to the show.
  expect((await seller.ctx.request.post(`/api/shows/${show.id}/end`)).ok()).toBe(true);
  const s = seller.page;
  await s.goto('/');
  await s.getByTestId('sales-link').click();
  await expect(s).toHaveURL(/\/sell\/orders$/);
  await s.getByTestId('filter-status').selectOption('paid');
  await s.getByTestId('filter-show').selectOption(show.id);
  await s.getByRole('button', { name: /^filter$/i }).click();
  await expect(s).toHaveURL(new RegExp(`status=paid&showId=${show.id}`));
  const sale = s.getByTestId('sale');
  await expect(sale).toHaveCount(1);
  await expect(sale.getByTestId('sale-buyer')).toHaveText('Ann');
  await expect(sale).toContainText('1 Market St');
  await expect(sale).toContainText('Brass lamp');
  await expect(s.getByTestId('export-csv')).toHaveAttribute('href', `/api/sales.csv?status=paid&showId=${show.id}`);
  const csv = await (await seller.ctx.request.get(`/api/sales.csv?showId=${show.id}`)).text();
  expect(csv).toContain('Ann Buyer');

  await sale.getByTestId('carrier').fill('CJ Logistics');
  await sale.getByTestId('tracking-number').fill('6012 3456 7890');
  await sale.getByTestId('ship').click();
  // Shipped, it leaves the "paid" filter; without filters it reads as sent, with its tracking.
  await expect(sale).toHaveCount(0);
  await s.goto('/sell/orders');
  await expect(s.getByTestId('sale').getByTestId('sale-status')).toHaveText(/sent|shipped/i);
  await expect(s.getByTestId('sale-tracking')).toContainText('6012 3456 7890');

  // The buyer sees the carrier and tracking number on their order.
  await ann.page.goto('/orders');
  const shipped = ann.page.getByTestId('order').filter({ hasText: 'Brass lamp' });
  await expect(shipped.getByTestId('tracking')).toHaveText(/CJ Logistics.*6012 3456 7890/);
  await expect(shipped.getByTestId('pay-order')).toHaveCount(0);

  // A refund asks for a reason and confirmation; the buyer reads the reason.
  await s.getByTestId('refund').click();
  await s.getByTestId('refund-reason').fill('Lost in transit');
  await s.getByTestId('confirm-refund').click();
  await expect(s.getByTestId('sale-status')).toHaveText(/refunded/i);
  await ann.page.reload();
  await expect(shipped.getByTestId('refund-reason')).toHaveText(/Lost in transit/);

  // Another host's page does not list it; a buyer may not open the page.
  const otherHost = await newBuyer(browser, 'Otto');
  const ottoEmail = (await (await otherHost.ctx.request.get('/api/me')).json()).user.email;
  await admin.request.put('/api/users/role', { data: { email: ottoEmail, role: 'host' } });
  await otherHost.page.goto('/sell/orders');
  await expect(otherHost.page.getByTestId('sales')).toBeVisible();
  await expect(otherHost.page.getByTestId('sale')).toHaveCount(0);
  const refused = await ann.page.goto('/sell/orders');
  expect(refused?.status()).toBe(403);
  for (const c of [admin, seller.ctx, ann.ctx, otherHost.ctx]) await c.close();
});
