import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { goodCard, hostSession, liveShowWithProduct, send, testAddress } from '../testing/commerce.ts';

describe('a seller’s shipping and tax are computed by the server', () => {
  let app: RunningApp;
  let base: string;
  let host: string;
  let ann: string;
  let show: Awaited<ReturnType<typeof liveShowWithProduct>>;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    const admin = await adminSession(base);
    host = await hostSession(base, admin, 'host@terms.test');
    ann = await buyerSession(base, 'ann@terms.test');
    show = await liveShowWithProduct(base, host, { title: 'Mug', price: 1000, stock: 10 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps terms per seller and currency and refuses nonsense', async () => {
    expect((await getJson(`${base}/api/seller-terms`, host)).json.terms).toEqual([]);
    const usd = { currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 200, taxRateBp: 1000 };
    expect((await send('PUT', `${base}/api/seller-terms`, usd, host)).json.terms).toEqual([usd]);
    expect((await send('PUT', `${base}/api/seller-terms`, { ...usd, taxRateBp: 9000 }, host)).status).toBe(400);
    expect((await send('PUT', `${base}/api/seller-terms`, { ...usd, shippingPerOrder: -1 }, host)).status).toBe(400);
    expect((await send('PUT', `${base}/api/seller-terms`, usd, ann)).status).toBe(403);
    expect((await getJson(`${base}/api/seller-terms`, host)).json.terms).toEqual([usd]);
  });

  it('charges subtotal less discount, plus shipping per order and extra item, plus tax on the discounted goods', async () => {
    const bought = await postJson(`${base}/api/buy`, { showId: show.showId, variantId: show.variantId, quantity: 3, idempotencyKey: 'ann-mugs-1' }, ann);
    // Before paying: 3 × $10, shipping $5 + 2 × $2, 10% tax on $30.
    expect(bought.json.order).toMatchObject({ subtotal: 3000, discount: 0, shipping: 900, taxRateBp: 1000, tax: 300, total: 4200 });

    const pushed = await postJson(`${base}/api/shows/${show.showId}/coupons`, { code: 'TENOFF', discountKind: 'percent', discountValue: 10, maxClaims: 5 }, host);
    expect((await postJson(`${base}/api/coupons/${pushed.json.overlay.coupon.id}/claim`, {}, ann)).status).toBe(200);
    const paid = await postJson(`${base}/api/orders/${bought.json.order.id}/pay`, { shippingAddress: testAddress, card: goodCard, couponCode: 'TENOFF' }, ann);
    // $30 − $3 = $27 of goods, $2.70 tax on that, $9 shipping.
    expect(paid.json.order).toMatchObject({ status: 'paid', subtotal: 3000, discount: 300, shipping: 900, tax: 270, total: 3870 });
  });

  it('an auction win pays the seller’s shipping for one item and tax', async () => {
    const lot = (await postJson(`${base}/api/shows/${show.showId}/lots`, { title: 'Jug', currency: 'USD', startingPrice: 2000, durationSeconds: 10 }, host)).json.lot;
    expect(lot).toBeTruthy();
    const order = await app.orders.createPending({ buyerId: (await getJson(`${base}/api/me`, ann)).json.user.id, showId: show.showId, lotId: lot.id, title: 'Jug', currency: 'USD', total: 2000 });
    expect(await app.orders.dto(order)).toMatchObject({ subtotal: 2000, shipping: 500, tax: 200, total: 2700 });
  });
});
