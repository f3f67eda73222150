import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../app.ts';
import { lastingDatabase, testConfig } from '../testing/test-config.ts';
import { buyerSession, getJson, postJson } from '../testing/http.ts';
import { goodCard, liveShowWithProduct, testAddress } from '../testing/commerce.ts';
import { adminSession } from '../testing/http.ts';
import { TestPaymentProvider, type ChargeInput } from './payments.ts';

/**
 * The provider's ledger outlives the app (as a real provider's does). While `stall` is set, a
 * charge never returns to the app: `after` once the provider has taken the money, `before` without taking it.
 */
class StallingProvider extends TestPaymentProvider {
  stall: 'after' | 'before' | null = null;
  readonly calls: string[] = [];

  override async charge(input: ChargeInput) {
    this.calls.push(input.chargeId);
    if (this.stall === 'before') return new Promise<never>(() => {});
    const result = await super.charge(input);
    return this.stall === 'after' ? new Promise<never>(() => {}) : result;
  }
}

describe('a charge whose outcome the app never recorded is settled at the next start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-reconcile-'));
  const config = testConfig({ ...lastingDatabase(dir), SHUTDOWN_GRACE_SECONDS: '0' });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('marks the order paid when the provider took the money, and frees order and coupon when it did not', async () => {
    const provider = new StallingProvider();
    const first = await startApp(config, { webHandler: false, payments: provider });
    const admin = await adminSession(first.url);
    const shop = await liveShowWithProduct(first.url, admin, { title: 'Lamp', price: 7000, stock: 5 });
    const coupon = (await postJson(`${first.url}/api/shows/${shop.showId}/coupons`, { code: 'CRASH10', discountKind: 'percent', discountValue: 10, maxClaims: 5 }, admin)).json.overlay.coupon;
    const [lea, max] = [await buyerSession(first.url, 'lea@crash.test'), await buyerSession(first.url, 'max@crash.test')];
    for (const b of [lea, max]) expect((await postJson(`${first.url}/api/coupons/${coupon.id}/claim`, {}, b)).status).toBe(200);
    const buy = async (b: string, key: string) =>
      (await postJson(`${first.url}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity: 1, idempotencyKey: key }, b)).json.order.id as string;
    const [leaOrder, maxOrder] = [await buy(lea, 'lea-crash-0001'), await buy(max, 'max-crash-0001')];
    const pay = (base: string, b: string, id: string) => postJson(`${base}/api/orders/${id}/pay`, { shippingAddress: testAddress, card: goodCard, couponCode: 'CRASH10' }, b);

    // Lea's charge goes through at the provider, Max's never reaches it; then the app goes down before recording either.
    provider.stall = 'after';
    void pay(first.url, lea, leaOrder).catch(() => {});
    await expect.poll(() => provider.calls.length).toBe(1);
    provider.stall = 'before';
    void pay(first.url, max, maxOrder).catch(() => {});
    await expect.poll(() => provider.calls.length).toBe(2);
    await first.close();

    provider.stall = null;
    const second = await startApp(config, { webHandler: false, payments: provider });
    try {
      const leaNow = (await getJson(`${second.url}/api/orders/${leaOrder}`, lea)).json.order;
      expect(leaNow).toMatchObject({ status: 'paid', discount: 700, total: 6300 });
      const maxNow = (await getJson(`${second.url}/api/orders/${maxOrder}`, max)).json.order;
      expect(maxNow.status).toBe('pending_payment');
      // Max was not charged: his order and his coupon are his to use again. Lea's coupon is spent.
      expect((await pay(second.url, max, maxOrder)).json.order).toMatchObject({ status: 'paid', discount: 700, total: 6300 });
      expect(provider.calls).toHaveLength(3);
      const again = (await postJson(`${second.url}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity: 1, idempotencyKey: 'lea-crash-0002' }, lea)).json.order.id;
      expect((await pay(second.url, lea, again)).json.error.message).toMatch(/already used/);
    } finally {
      await second.close();
    }
  }, 30_000);
});
