import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { buyerSession, postJson } from '../testing/http.ts';
import { goodCard, liveShowWithProduct, testAddress } from '../testing/commerce.ts';
import { adminSession } from '../testing/http.ts';
import { TEST_CARDS, TestPaymentProvider, type ChargeInput } from './payments.ts';

/** A provider that takes a while to answer, as a real one over the network does. */
class SlowProvider extends TestPaymentProvider {
  override async charge(input: ChargeInput) {
    await new Promise((r) => setTimeout(r, 150));
    return super.charge(input);
  }
}

describe('a coupon is good for one order, even when payments race', () => {
  let app: RunningApp;
  let base: string;
  let shop: Awaited<ReturnType<typeof liveShowWithProduct>>;
  let admin: string;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false, payments: new SlowProvider() });
    base = app.url;
    admin = await adminSession(base);
    shop = await liveShowWithProduct(base, admin, { title: 'Wool hat', price: 4000, stock: 10 });
  });
  afterAll(async () => {
    await app.close();
  });

  const pushCoupon = async (code: string) => {
    const pushed = await postJson(`${base}/api/shows/${shop.showId}/coupons`, { code, discountKind: 'percent', discountValue: 50, maxClaims: 10 }, admin);
    expect(pushed.status).toBe(201);
    return pushed.json.overlay.coupon.id as string;
  };
  const order = async (buyer: string, key: string) =>
    (await postJson(`${base}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity: 1, idempotencyKey: key }, buyer)).json.order.id as string;
  const pay = (buyer: string, orderId: string, couponCode?: string, card: { number: string; expiry: string; cvc: string } = goodCard) =>
    postJson(`${base}/api/orders/${orderId}/pay`, { shippingAddress: testAddress, card, couponCode }, buyer);

  it('two concurrent payments with one coupon on two orders: only one gets the discount', async () => {
    const couponId = await pushCoupon('RACE50');
    const gil = await buyerSession(base, 'gil@race.test');
    expect((await postJson(`${base}/api/coupons/${couponId}/claim`, {}, gil)).status).toBe(200);
    const [first, second] = [await order(gil, 'gil-race-0001'), await order(gil, 'gil-race-0002')];

    const results = await Promise.all([pay(gil, first, 'RACE50'), pay(gil, second, 'RACE50')]);
    const discounted = results.filter((r) => r.status === 200 && r.json.order.discount === 2000);
    expect(discounted).toHaveLength(1);
    const refused = results.find((r) => r !== discounted[0])!;
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/already used/);
    // The refused order is still payable, at full price.
    const other = results[0] === refused ? first : second;
    expect((await pay(gil, other)).json.order).toMatchObject({ status: 'paid', discount: 0, total: 4000 });
  });

  it('a declined payment gives the coupon back', async () => {
    const couponId = await pushCoupon('BACK50');
    const hal = await buyerSession(base, 'hal@race.test');
    expect((await postJson(`${base}/api/coupons/${couponId}/claim`, {}, hal)).status).toBe(200);
    const id = await order(hal, 'hal-race-0001');
    expect((await pay(hal, id, 'BACK50', { ...goodCard, number: TEST_CARDS.declined })).status).toBe(402);
    expect((await pay(hal, id, 'BACK50')).json.order).toMatchObject({ status: 'paid', discount: 2000, total: 2000 });
  });
});
