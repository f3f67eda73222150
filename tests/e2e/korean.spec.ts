import { test, expect, type APIRequestContext, type Browser, type Locator, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config.ts';
import { newBuyer, newShow } from './helpers.ts';

/**
 * Refusals a buyer meets, read in Korean and Chinese on a phone: each is the server's reason in the
 * buyer's language, never its English message.
 */
const PHONE = { width: 390, height: 844 };

/** Latin letters left once currency codes and symbols are taken out ("US$52.00", "USD"): English leaking through. */
async function expectNoEnglish(alert: Locator): Promise<void> {
  await expect(alert).toBeVisible();
  const text = (await alert.innerText()).replace(/US\$|\b[A-Z]{3}\b/g, '');
  expect(text.trim().length).toBeGreaterThan(0);
  expect(text, `English in "${await alert.innerText()}"`).not.toMatch(/[A-Za-z]/);
}

async function buyerIn(browser: Browser, locale: string, name: string): Promise<Page> {
  const { ctx, page } = await newBuyer(browser, name);
  await ctx.addCookies([{ name: 'hawker_lang', value: locale, url: test.info().project.use.baseURL! }]);
  await page.setViewportSize(PHONE);
  return page;
}

async function product(host: APIRequestContext, title: string, price: number): Promise<{ id: string; variants: { id: string }[] }> {
  return (await (await host.post('/api/products', { data: { title, currency: 'USD', price, stock: 10 } })).json()).product;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

for (const locale of ['ko', 'zh'] as const) {
  test(`${locale}: a wrong password, a taken email, a declined card, a refused coupon, a sale limit and a low bid are told in ${locale}`, async ({ browser }) => {
    const hostCtx = await browser.newContext();
    const host = hostCtx.request;
    expect((await host.post('/api/auth/signin', { data: E2E_ADMIN })).ok()).toBe(true);

    // Wrong password.
    const visitor = await buyerIn(browser, locale, 'Visitor');
    await visitor.goto('/signin');
    const submit = visitor.locator('form button[type=submit]');
    await expect(submit).toBeEnabled();
    await visitor.locator('input[name=email]').fill(E2E_ADMIN.email);
    await visitor.locator('input[name=password]').fill('not-the-password');
    await submit.click();
    await expectNoEnglish(visitor.getByRole('alert'));
    await shot(visitor, 'wrong-password');

    // A sign-up with a taken email: the refusal sits under the email field.
    await visitor.goto('/signup');
    await expect(submit).toBeEnabled();
    await visitor.locator('input[name=email]').fill(E2E_ADMIN.email);
    await visitor.locator('input[name=displayName]').fill('Visitor');
    await visitor.locator('input[name=password]').fill('long-enough-password');
    await submit.click();
    await expectNoEnglish(visitor.locator('#email-error'));
    await expect(visitor.locator('input[name=email]')).toHaveAttribute('aria-invalid', 'true');
    await shot(visitor, 'email-taken');

    // A refused coupon, then a declined card, on the payment page.
    const buyer = await buyerIn(browser, locale, 'Jiwoo');
    const teapot = await product(host, 'Teapot', 5200);
    const bought = await buyer.request.post('/api/buy', { data: { variantId: teapot.variants[0]!.id, quantity: 1, idempotencyKey: `k-${locale}-teapot-1` } });
    expect(bought.status()).toBe(201);
    const order = (await bought.json()).order;
    await buyer.goto(`/orders/${order.id}/pay`);
    await expect(buyer.getByTestId('pay')).toBeEnabled();
    const field = (autocomplete: string) => buyer.locator(`input[autocomplete="${autocomplete}"]`);
    for (const [ac, value] of [['name', '김지우'], ['address-line1', '세종대로 1'], ['address-level2', '서울'], ['postal-code', '04524'], ['country', 'KR'],
      ['cc-number', '4242 4242 4242 4242'], ['cc-exp', '12/40'], ['cc-csc', '123']] as const) await field(ac).fill(value);
    await buyer.getByTestId('coupon-code').fill('NOSUCHCODE');
    await buyer.getByTestId('pay').click();
    await expectNoEnglish(buyer.getByRole('alert'));
    await shot(buyer, 'coupon-refused');

    const couponRefusal = await buyer.getByRole('alert').innerText();
    await buyer.getByTestId('coupon-code').fill('');
    await field('cc-number').fill('4000 0000 0000 0002');
    await buyer.getByTestId('pay').click();
    await expect(buyer.getByRole('alert')).not.toHaveText(couponRefusal);
    await expectNoEnglish(buyer.getByRole('alert'));
    await shot(buyer, 'card-declined');

    // A flash sale of one per buyer: a second buy is refused.
    const show = await newShow({ request: host }, `Errors in ${locale}`);
    await host.post(`/api/shows/${show.id}/live`);
    const mug = await product(host, 'Mug', 3000);
    await host.put(`/api/shows/${show.id}/lineup`, { data: { productIds: [mug.id] } });
    const drop = await host.post(`/api/shows/${show.id}/drops`, {
      data: { productId: mug.id, countdownSeconds: 0, sale: { discountKind: 'percent', discountValue: 10, durationSeconds: 600, quantity: 5, perBuyerLimit: 1 } }
    });
    expect(drop.status()).toBe(201);
    const saleId = (await drop.json()).overlay.drop.saleId;
    const first = await buyer.request.post('/api/buy', { data: { showId: show.id, variantId: mug.variants[0]!.id, saleId, quantity: 1, idempotencyKey: `k-${locale}-mug-1` } });
    expect(first.status()).toBe(201);
    await buyer.goto(`/room/${show.id}`);
    const card = buyer.getByTestId('drop-card');
    await card.getByTestId('buy-now').click();
    await expectNoEnglish(card.getByRole('alert'));
    await shot(buyer, 'sale-limit');

    // A bid below the minimum.
    const lot = (await (await host.post(`/api/shows/${show.id}/lots`, { data: { title: 'Vase', currency: 'USD', startingPrice: 5200, durationSeconds: 600 } })).json()).lot;
    expect((await host.post(`/api/lots/${lot.id}/start`)).ok()).toBe(true);
    const bidButton = buyer.getByTestId('bid-button');
    await expect(bidButton).toBeVisible();
    await buyer.locator('.more-toggle').click();
    const amount = buyer.locator('.custom input[inputmode=decimal]').first();
    await amount.fill('1');
    await amount.press('Enter');
    const refusal = buyer.getByTestId('auction-panel').getByRole('alert');
    await expectNoEnglish(refusal);
    await expect(refusal).toContainText('52');
    await shot(buyer, 'bid-too-low');

    for (const ctx of [visitor.context(), buyer.context(), hostCtx]) await ctx.close();
  });
}
