import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { signIn } from './helpers.ts';

test('the API reference renders under its policy and tries operations on this server as the signed-in account', async ({ page }) => {
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const violations: string[] = [];
  const elsewhere: string[] = [];
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(`${origin}/`) && !r.url().startsWith('data:')) elsewhere.push(r.url());
  });
  await signIn(page);

  await page.goto('/api/docs');
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Hawker API');
  // The bearer scheme is offered beside the session cookie.
  await page.getByRole('button', { name: /authorize/i }).first().click();
  await expect(page.locator('.modal-ux')).toContainText(/apiToken\s+\(http, Bearer\)/);
  await page.getByRole('button', { name: /close/i }).first().click();

  // A read, carrying the session cookie.
  const me = page.locator('#operations-Accounts-getMe');
  await me.locator('.opblock-summary').click();
  await me.getByRole('button', { name: 'Try it out' }).click();
  await me.getByRole('button', { name: 'Execute' }).click();
  await expect(me.locator('.live-responses-table .response .response-col_status').first()).toHaveText('200');
  await expect(me.locator('.live-responses-table .microlight').first()).toContainText(E2E_ADMIN.email);

  // A write with the example body the document generates: it passes the same-origin check.
  // The example's shipping prices are put back after, since later specs sell as this same host.
  const before = (await (await page.request.get('/api/seller-terms')).json()).terms as { currency: string }[];
  const terms = page.locator('#operations-Sales-putSellerTerms');
  await terms.locator('.opblock-summary').click();
  await terms.getByRole('button', { name: 'Try it out' }).click();
  await terms.getByRole('button', { name: 'Execute' }).click();
  await expect(terms.locator('.live-responses-table .response .response-col_status').first()).toHaveText('200');
  const after = (await (await page.request.get('/api/seller-terms')).json()).terms as { currency: string }[];
  for (const { currency } of after) {
    const kept = before.find((t) => t.currency === currency) ?? { currency, shippingPerOrder: 0, shippingPerExtraItem: 0, taxRateBp: 0 };
    expect((await page.request.put('/api/seller-terms', { data: kept })).status()).toBe(200);
  }

  expect(violations).toEqual([]);
  expect(elsewhere).toEqual([]);
});
