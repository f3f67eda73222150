import { test, expect } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { newBuyer, newShow } from './helpers.ts';

test('two buyers bid against each other, soft close extends the clock, the winner sees the win', async ({ browser }) => {
  const host = await browser.newContext();
  expect((await host.request.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);
  const show = await newShow(host, 'Auction e2e');
  await host.request.post(`/api/shows/${show.id}/live`);
  const lot = (await (await host.request.post(`/api/shows/${show.id}/lots`, {
    data: { title: 'Vintage jacket', currency: 'USD', startingPrice: 1000, durationSeconds: 10, counterBidSeconds: 1 }
  })).json()).lot;

  const ann = await newBuyer(browser, 'Ann');
  const ben = await newBuyer(browser, 'Ben');
  for (const b of [ann, ben]) await b.page.goto(`/room/${show.id}`);
  expect((await host.request.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);

  for (const b of [ann, ben]) await expect(b.page.getByTestId('bid-button')).toHaveText(/\$10\.00/);
  await ann.page.getByTestId('bid-button').click();
  await expect(ann.page.getByTestId('auction-leader')).toHaveText(/highest bidder/i);
  await expect(ben.page.getByTestId('auction-price')).toHaveText('$10.00');
  await ben.page.getByTestId('bid-button').click();
  await expect(ann.page.getByTestId('outbid')).toBeVisible();
  await expect(ann.page.getByTestId('auction-price')).toHaveText('$11.00');

  // Wait until the last counter-bid window (3 s: the WebRTC class minimum), then bid: the clock resets to it.
  const remaining = () => ann.page.getByTestId('countdown').getAttribute('data-remaining-ms').then(Number);
  await expect.poll(remaining, { timeout: 15_000, intervals: [100] }).toBeLessThan(2500);
  const beforeBid = await remaining();
  await ann.page.getByTestId('bid-button').click();
  await expect(ann.page.getByTestId('auction-price')).toHaveText('$12.00');
  await expect.poll(remaining, { intervals: [50] }).toBeGreaterThan(beforeBid + 300);
  // Both countdowns render the same server end time.
  const [a, b] = await Promise.all([remaining(), ben.page.getByTestId('countdown').getAttribute('data-remaining-ms').then(Number)]);
  expect(Math.abs(a - b)).toBeLessThan(300);

  await expect(ann.page.getByTestId('you-won')).toBeVisible({ timeout: 15_000 });
  await expect(ben.page.getByTestId('auction-result')).toHaveText(/sold for \$12\.00/i);
  await ann.page.goto('/orders');
  await expect(ann.page.getByTestId('orders')).toContainText('Vintage jacket');
  for (const c of [host, ann.ctx, ben.ctx]) await c.close();
});
