import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { buyerSession, getJson, postJson } from '../testing/http.ts';
import { goodCard, hostSession, liveShowWithProduct, testAddress } from '../testing/commerce.ts';
import { adminSession } from '../testing/http.ts';

describe('sellers, shows and coupons are decided by the server', () => {
  let app: RunningApp;
  let base: string;
  let admin: string;
  let hostA: string;
  let hostB: string;
  let a: Awaited<ReturnType<typeof liveShowWithProduct>>;
  let b: Awaited<ReturnType<typeof liveShowWithProduct>>;

  const pay = (orderId: string, cookie: string, couponCode?: string) =>
    postJson(`${base}/api/orders/${orderId}/pay`, { shippingAddress: testAddress, card: goodCard, couponCode }, cookie);
  const buy = (cookie: string, body: Record<string, unknown>) => postJson(`${base}/api/buy`, { quantity: 1, ...body }, cookie);

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    admin = await adminSession(base);
    hostA = await hostSession(base, admin, 'host-a@sellers.test');
    hostB = await hostSession(base, admin, 'host-b@sellers.test');
    a = await liveShowWithProduct(base, hostA, { title: 'A vase', price: 9000, stock: 5 });
    b = await liveShowWithProduct(base, hostB, { title: 'B mug', price: 1500, stock: 5 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('a host cannot sell another host’s product “in” their own show and zero it with their own coupon', async () => {
    const pushed = await postJson(`${base}/api/shows/${b.showId}/coupons`, { code: 'BILLION', discountKind: 'amount', currency: 'USD', discountValue: 1_000_000_000, maxClaims: 10 }, hostB);
    expect(pushed.status).toBe(201);
    expect((await postJson(`${base}/api/coupons/${pushed.json.overlay.coupon.id}/claim`, {}, hostB)).status).toBe(200);

    const inForeignShow = await buy(hostB, { showId: b.showId, variantId: a.variantId, idempotencyKey: 'exploit-key-1' });
    expect(inForeignShow.status).toBeGreaterThanOrEqual(400);
    expect(inForeignShow.status).toBeLessThan(500);
    expect(inForeignShow.json.error.message).toMatch(/not .*this show/i);
    expect((await buy(hostB, { showId: 'no-such-show', variantId: a.variantId, idempotencyKey: 'exploit-key-3' })).status).toBe(400);

    // Bought outside any show, the order is A's and B's coupon does not touch it.
    const plain = await buy(hostB, { variantId: a.variantId, idempotencyKey: 'exploit-key-2' });
    expect(plain.status).toBe(201);
    expect(plain.json.order).toMatchObject({ showId: null, sellerId: (await getJson(`${base}/api/me`, hostA)).json.user.id });
    const zeroed = await pay(plain.json.order.id, hostB, 'BILLION');
    expect(zeroed.status).toBeGreaterThanOrEqual(400);
    expect(zeroed.status).toBeLessThan(500);
    const paid = await pay(plain.json.order.id, hostB);
    expect(paid.json.order).toMatchObject({ status: 'paid', discount: 0, total: 9000 });

    // The seller sees it and may ship or refund it; the other host may not.
    expect((await getJson(`${base}/api/sales`, hostA)).json.orders.map((o: { id: string }) => o.id)).toContain(plain.json.order.id);
    expect((await getJson(`${base}/api/sales`, hostB)).json.orders.map((o: { id: string }) => o.id)).not.toContain(plain.json.order.id);
    expect((await postJson(`${base}/api/orders/${plain.json.order.id}/refund`, {}, hostB)).status).toBe(403);
    expect((await postJson(`${base}/api/orders/${plain.json.order.id}/fulfil`, {}, hostB)).status).toBe(403);
    expect((await postJson(`${base}/api/orders/${plain.json.order.id}/fulfil`, { carrier: 'UPS', trackingNumber: '1Z999' }, hostA)).json.order.status).toBe('fulfilled');
  });

  it('an order bought in a show belongs to that show’s host, who alone sees it in the show’s sales', async () => {
    const ann = await buyerSession(base, 'ann@sellers.test');
    const order = (await buy(ann, { showId: a.showId, variantId: a.variantId, idempotencyKey: 'ann-in-show-1' })).json.order;
    expect(order.showId).toBe(a.showId);
    expect((await pay(order.id, ann)).json.order.status).toBe('paid');
    expect((await getJson(`${base}/api/shows/${a.showId}/sales`, hostA)).json.orders.map((o: { id: string }) => o.id)).toContain(order.id);
    expect((await getJson(`${base}/api/shows/${a.showId}/sales`, hostB)).status).toBe(403);
    // Admins act for any seller.
    expect((await postJson(`${base}/api/orders/${order.id}/refund`, { reason: 'Damaged' }, admin)).json.order.status).toBe('refunded');
  });

  it('a coupon discounts only its seller’s items, in its own currency, never below zero', async () => {
    const cat = await buyerSession(base, 'cat@sellers.test');
    const euro = await postJson(`${base}/api/shows/${b.showId}/coupons`, { code: 'EURO5', discountKind: 'amount', currency: 'EUR', discountValue: 500, maxClaims: 10 }, hostB);
    expect(euro.status).toBe(201);
    expect((await postJson(`${base}/api/coupons/${euro.json.overlay.coupon.id}/claim`, {}, cat)).status).toBe(200);
    const mug = (await buy(cat, { showId: b.showId, variantId: b.variantId, idempotencyKey: 'cat-mug-0001' })).json.order;
    const wrongCurrency = await pay(mug.id, cat, 'EURO5');
    expect(wrongCurrency.status).toBe(409);
    expect(wrongCurrency.json.error.message).toMatch(/EUR/);

    const big = await postJson(`${base}/api/shows/${b.showId}/coupons`, { code: 'HUGE', discountKind: 'amount', currency: 'USD', discountValue: 1_000_000, maxClaims: 10 }, hostB);
    expect((await postJson(`${base}/api/coupons/${big.json.overlay.coupon.id}/claim`, {}, cat)).status).toBe(200);
    const paid = await pay(mug.id, cat, 'HUGE');
    expect(paid.json.order).toMatchObject({ status: 'paid', subtotal: 1500, discount: 1500, total: 0 });
    // An amount coupon states its currency.
    expect((await postJson(`${base}/api/shows/${b.showId}/coupons`, { code: 'NOCUR', discountKind: 'amount', discountValue: 100, maxClaims: 1 }, hostB)).status).toBe(400);
  });

  it('a cart holding two sellers’ products becomes one order per seller, each in its own show', async () => {
    const dan = await buyerSession(base, 'dan@sellers.test');
    const res = await postJson(`${base}/api/cart/checkout`, {
      items: [{ variantId: a.variantId, quantity: 1, showId: a.showId }, { variantId: b.variantId, quantity: 2, showId: b.showId }],
      idempotencyKey: 'dan-cart-0001'
    }, dan);
    expect(res.status).toBe(201);
    const orders = res.json.orders as { showId: string; sellerId: string; total: number; items: unknown[] }[];
    expect(orders.map((o) => [o.showId, o.total, o.items.length]).sort()).toEqual([[a.showId, 9000, 1], [b.showId, 3000, 1]].sort());
    // A retry with the same key returns the same orders.
    const again = await postJson(`${base}/api/cart/checkout`, { items: [{ variantId: a.variantId, quantity: 1, showId: a.showId }, { variantId: b.variantId, quantity: 2, showId: b.showId }], idempotencyKey: 'dan-cart-0001' }, dan);
    expect(again.json.orders.map((o: { id: string }) => o.id).sort()).toEqual(res.json.orders.map((o: { id: string }) => o.id).sort());
    // A line naming a show whose lineup lacks the product is refused, and nothing is reserved.
    const before = (await getJson(`${base}/api/shows/${b.showId}/lineup`)).json.products[0].variants[0].stock;
    const mixed = await postJson(`${base}/api/cart/checkout`, { items: [{ variantId: b.variantId, quantity: 1, showId: b.showId }, { variantId: a.variantId, quantity: 1, showId: b.showId }], idempotencyKey: 'dan-cart-0002' }, dan);
    expect(mixed.status).toBe(400);
    expect((await getJson(`${base}/api/shows/${b.showId}/lineup`)).json.products[0].variants[0].stock).toBe(before);
  });

  it('a duplicate cart line is a clear 400, not a server error', async () => {
    const eve = await buyerSession(base, 'eve@sellers.test');
    const res = await postJson(`${base}/api/cart/checkout`, { items: [{ variantId: b.variantId, quantity: 1 }, { variantId: b.variantId, quantity: 1 }], idempotencyKey: 'eve-cart-0001' }, eve);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/once/) });
  });
});
