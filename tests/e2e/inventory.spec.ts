import { test, expect, type APIRequestContext } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { newBuyer } from './helpers.ts';

const product = async (request: APIRequestContext, data: Record<string, unknown>) =>
  (await (await request.post('/api/products', { data: { currency: 'USD', ...data } })).json()).product as { id: string; variants: { id: string }[] };

test('a seller keeps stock per option, edits in place, duplicates, deletes an unsold product and archives a sold one', async ({ browser }) => {
  const admin = await browser.newContext();
  expect((await admin.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const seller = await newBuyer(browser, 'Ines');
  const email = (await (await seller.ctx.request.get('/api/me')).json()).user.email;
  expect((await admin.request.put('/api/users/role', { data: { email, role: 'host' } })).ok()).toBe(true);
  await product(seller.ctx.request, { title: 'Linen tee', price: 2000, variants: [{ name: 'S', stock: 3 }, { name: 'M', stock: 0 }] });
  await product(seller.ctx.request, { title: 'Glass vase', price: 4500, stock: 2 });
  const mug = await product(seller.ctx.request, { title: 'Clay mug', price: 1500, stock: 5 });
  const buyer = await newBuyer(browser, 'Bo');
  expect((await buyer.ctx.request.post('/api/buy', { data: { variantId: mug.variants[0]!.id, quantity: 1, idempotencyKey: 'inventory-e2e' } })).status()).toBe(201);

  // Buyers are turned away; the seller reaches it from the orders page.
  expect((await buyer.page.goto('/sell/inventory'))?.status()).toBe(403);
  const page = seller.page;
  await page.goto('/sell/orders');
  await page.getByTestId('inventory-link').click();
  await expect(page).toHaveURL(/\/sell\/inventory$/);
  const item = (title: string) => page.locator(`[data-testid="inventory-item"][data-title="${title}"]`);

  // A product with options has a stock field per option and none of its own.
  const tee = item('Linen tee');
  await expect(tee.getByTestId('inventory-stock')).toHaveCount(2);
  await expect(tee.getByLabel('S: stock')).toHaveValue('3');
  await tee.getByLabel('M: stock').fill('4');
  await tee.getByTestId('inventory-price').fill('21.50');
  await tee.getByTestId('inventory-save').click();
  await expect(tee.getByRole('status')).toBeVisible();
  await expect(tee.getByTestId('inventory-total')).toHaveText('7 in stock in total');
  const saved = (await (await seller.ctx.request.get('/api/products')).json()).products.find((p: { title: string }) => p.title === 'Linen tee');
  expect(saved).toMatchObject({ price: 2150, variants: [{ name: 'S', stock: 3 }, { name: 'M', stock: 4 }] });

  // Duplicate: a second tee with the same options and stock.
  await tee.getByTestId('inventory-duplicate').click();
  await expect(page.getByTestId('inventory-notice')).toContainText('Linen tee');
  await expect(item('Linen tee')).toHaveCount(2);
  await expect(item('Linen tee').last().getByTestId('inventory-stock').first()).toHaveValue('3');
  await expect(item('Linen tee').last().getByTestId('inventory-stock').last()).toHaveValue('4');
  await expect(item('Linen tee').last().getByTestId('inventory-total')).toHaveText('7 in stock in total');

  // Never ordered: deleted. Ordered: archived, and the buyer's order keeps it.
  await item('Glass vase').getByTestId('inventory-delete').click();
  await item('Glass vase').getByTestId('inventory-confirm-delete').click();
  await expect(page.getByTestId('inventory-notice')).toHaveText('“Glass vase” was deleted.');
  await expect(item('Glass vase')).toHaveCount(0);
  await item('Clay mug').getByTestId('inventory-delete').click();
  await item('Clay mug').getByTestId('inventory-confirm-delete').click();
  await expect(page.getByTestId('inventory-notice')).toHaveText('“Clay mug” has orders, so it was archived.');
  await expect(item('Clay mug')).toHaveCount(0);
  await buyer.page.goto('/orders');
  await expect(buyer.page.getByTestId('order').filter({ hasText: 'Clay mug' })).toBeVisible();
  for (const ctx of [admin, seller.ctx, buyer.ctx]) await ctx.close();
});
