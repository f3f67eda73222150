import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { buyerSession, postJson } from '../testing/http.ts';
import { goodCard, liveShowWithProduct, testAddress } from '../testing/commerce.ts';
import { adminSession } from '../testing/http.ts';

describe('one buyer cannot hoard stock', () => {
  let app: RunningApp;
  let base: string;
  let shop: Awaited<ReturnType<typeof liveShowWithProduct>>;

  beforeAll(async () => {
    app = await startApp(testConfig({ BUYS_PER_MINUTE: '6', MAX_UNPAID_UNITS_PER_BUYER: '3' }), { webHandler: false });
    base = app.url;
    shop = await liveShowWithProduct(base, await adminSession(base), { title: 'Sneakers', price: 9900, stock: 100 });
  });
  afterAll(async () => {
    await app.close();
  });

  const buy = (buyer: string, key: string, quantity: number) =>
    postJson(`${base}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity, idempotencyKey: key }, buyer);

  it('caps the units a buyer holds unpaid; paying frees the room', async () => {
    const ivy = await buyerSession(base, 'ivy@hoard.test');
    const first = await buy(ivy, 'ivy-hoard-0001', 2);
    expect(first.status).toBe(201);
    const more = await buy(ivy, 'ivy-hoard-0002', 2);
    expect(more.status).toBe(409);
    expect(more.json.error.message).toMatch(/at most 3 unpaid items/);
    const cart = await postJson(`${base}/api/cart/checkout`, { items: [{ variantId: shop.variantId, quantity: 2, showId: shop.showId }], idempotencyKey: 'ivy-hoard-cart' }, ivy);
    expect(cart.status).toBe(409);
    expect((await buy(ivy, 'ivy-hoard-0003', 1)).status).toBe(201);

    const paid = await postJson(`${base}/api/orders/${first.json.order.id}/pay`, { shippingAddress: testAddress, card: goodCard }, ivy);
    expect(paid.json.order.status).toBe('paid');
    expect((await buy(ivy, 'ivy-hoard-0004', 2)).status).toBe(201);
  });

  it('limits buy and checkout requests per buyer per minute, without touching other buyers', async () => {
    const jon = await buyerSession(base, 'jon@hoard.test');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await buy(jon, `jon-hoard-000${i}`, 1)).status);
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    const limited = await postJson(`${base}/api/cart/checkout`, { items: [{ variantId: shop.variantId, quantity: 1 }], idempotencyKey: 'jon-hoard-cart' }, jon);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Too many purchases/) });
    expect((await buy(await buyerSession(base, 'kim@hoard.test'), 'kim-hoard-0001', 1)).status).toBe(201);
  });
});
