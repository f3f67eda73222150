import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { lastingDatabase, testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { goodCard, liveShowWithProduct, send, testAddress } from '../testing/commerce.ts';
import { TEST_CARDS, TestPaymentProvider, type ChargeInput } from './payments.ts';

/** Records every charge the app asks for; while `stall` is set a charge is taken but never answered (the app "crashes"). */
class CountingProvider extends TestPaymentProvider {
  readonly charges: ChargeInput[] = [];
  stall = false;

  override async charge(input: ChargeInput) {
    this.charges.push(input);
    const result = await super.charge(input);
    return this.stall ? new Promise<never>(() => {}) : result;
  }
}

// Shipping 5.00 per order and 1.00 per extra item, tax 10%.
const terms = { currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 100, taxRateBp: 1000 };

describe('paying for several orders from one show together', () => {
  const provider = new CountingProvider();
  let app: RunningApp;
  let base: string;
  let host: string;
  let shop: Awaited<ReturnType<typeof liveShowWithProduct>>;
  let n = 0;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false, payments: provider });
    base = app.url;
    host = await adminSession(base);
    expect((await send('PUT', `${base}/api/seller-terms`, terms, host)).status).toBe(200);
    shop = await liveShowWithProduct(base, host, { title: 'Lamp', price: 7000, stock: 100 });
  });
  afterAll(() => app.close());

  const buy = async (buyer: string, quantity: number) =>
    (await postJson(`${base}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity, idempotencyKey: `together-${++n}-key` }, buyer)).json.order as { id: string; shipping: number; total: number };
  const payTogether = (buyer: string, orderIds: string[], card: { number: string; expiry: string; cvc: string } = goodCard) => postJson(`${base}/api/orders/pay-together`, { orderIds, shippingAddress: testAddress, card }, buyer);
  const status = async (buyer: string, id: string) => (await getJson(`${base}/api/orders/${id}`, buyer)).json.order.status as string;

  it('charges once for both, with shipping combined, and each order’s total adds up to the charge', async () => {
    const ann = await buyerSession(base, 'ann@together.test');
    const [one, two] = [await buy(ann, 1), await buy(ann, 2)];
    // Apart: 5.00 + (5.00 + 1.00) shipping. Together: 5.00 + 2 × 1.00 for three items.
    expect(one.shipping + two.shipping).toBe(1100);
    const before = provider.charges.length;
    const res = await payTogether(ann, [one.id, two.id]);
    expect(res.status).toBe(200);
    const paid = res.json.orders as { id: string; status: string; shipping: number; tax: number; total: number }[];
    expect(paid.map((o) => o.status)).toEqual(['paid', 'paid']);
    expect(paid.reduce((s, o) => s + o.shipping, 0)).toBe(700);
    expect(paid.reduce((s, o) => s + o.tax, 0)).toBe(2100);
    expect(provider.charges.slice(before)).toHaveLength(1);
    expect(provider.charges.at(-1)).toMatchObject({ amount: 21000 + 700 + 2100, currency: 'USD' });
    expect(paid.reduce((s, o) => s + o.total, 0)).toBe(provider.charges.at(-1)!.amount);
    for (const o of paid) expect(await status(ann, o.id)).toBe('paid');
  });

  it('quotes beforehand exactly what it then charges, and the quote changes nothing', async () => {
    const hal = await buyerSession(base, 'hal@together.test');
    const [one, two] = [await buy(hal, 2), await buy(hal, 1)];
    const quote = await postJson(`${base}/api/orders/pay-together/quote`, { orderIds: [two.id, one.id] }, hal);
    expect(quote.status).toBe(200);
    // 21000 of goods, shipping 5.00 + 2 × 1.00 instead of 6.00 + 5.00, tax 10% on the goods.
    expect(quote.json.quote).toEqual({ currency: 'USD', subtotal: 21000, shipping: 700, tax: 2100, total: 23800 });
    expect([await status(hal, one.id), await status(hal, two.id)]).toEqual(['pending_payment', 'pending_payment']);
    const before = provider.charges.length;
    expect((await payTogether(hal, [one.id, two.id])).status).toBe(200);
    expect(provider.charges.slice(before).map((c) => c.amount)).toEqual([quote.json.quote.total]);
    // Paid orders are no longer quoted; nor is someone else's.
    expect((await postJson(`${base}/api/orders/pay-together/quote`, { orderIds: [one.id, two.id] }, hal)).json.error.params.reason).toBe('order_status');
    const ivy = await buyerSession(base, 'ivy@together.test');
    expect((await postJson(`${base}/api/orders/pay-together/quote`, { orderIds: [one.id, two.id] }, ivy)).status).toBe(403);
  });

  it('refuses a list holding someone else’s order and pays nothing', async () => {
    const [bo, cy] = [await buyerSession(base, 'bo@together.test'), await buyerSession(base, 'cy@together.test')];
    const [mine, theirs] = [await buy(bo, 1), await buy(cy, 1)];
    const before = provider.charges.length;
    expect((await payTogether(bo, [mine.id, theirs.id])).status).toBe(403);
    expect((await payTogether(bo, [mine.id, 'no-such-order'])).status).toBe(404);
    expect(provider.charges.length).toBe(before);
    expect(await status(bo, mine.id)).toBe('pending_payment');
    expect(await status(cy, theirs.id)).toBe('pending_payment');
  });

  it('refuses bad input with a 400 that names the field', async () => {
    const di = await buyerSession(base, 'di@together.test');
    const one = await buy(di, 1);
    const alone = await payTogether(di, [one.id]);
    expect(alone.status).toBe(400);
    expect(alone.json.error.field).toBe('orderIds');
    expect((await payTogether(di, [one.id, one.id])).status).toBe(400);
    expect(await status(di, one.id)).toBe('pending_payment');
  });

  it('leaves both payable after a declined card', async () => {
    const ed = await buyerSession(base, 'ed@together.test');
    const [one, two] = [await buy(ed, 1), await buy(ed, 1)];
    const declined = await payTogether(ed, [one.id, two.id], { ...goodCard, number: TEST_CARDS.declined });
    expect(declined.status).toBe(402);
    expect(declined.json.error.params.reason).toBe('declined');
    expect([await status(ed, one.id), await status(ed, two.id)]).toEqual(['pending_payment', 'pending_payment']);
    expect((await payTogether(ed, [one.id, two.id])).status).toBe(200);
    expect([await status(ed, one.id), await status(ed, two.id)]).toEqual(['paid', 'paid']);
  });

  it('charges once when the same payment is sent twice at once, and again later', async () => {
    const flo = await buyerSession(base, 'flo@together.test');
    const [one, two] = [await buy(flo, 1), await buy(flo, 1)];
    const before = provider.charges.length;
    const both = await Promise.all([payTogether(flo, [one.id, two.id]), payTogether(flo, [two.id, one.id])]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await payTogether(flo, [one.id, two.id])).status).toBe(409);
    expect(provider.charges.length - before).toBe(1);
    expect([await status(flo, one.id), await status(flo, two.id)]).toEqual(['paid', 'paid']);
  });
});

describe('a charge for several orders that the app never recorded', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-together-'));
  const config = testConfig({ ...lastingDatabase(dir), SHUTDOWN_GRACE_SECONDS: '0' });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('marks every order it paid for paid at the next start', async () => {
    const provider = new CountingProvider();
    const first = await startApp(config, { webHandler: false, payments: provider });
    const host = await adminSession(first.url);
    expect((await send('PUT', `${first.url}/api/seller-terms`, terms, host)).status).toBe(200);
    const shop = await liveShowWithProduct(first.url, host, { title: 'Vase', price: 3000, stock: 10 });
    const gus = await buyerSession(first.url, 'gus@together.test');
    const buy = async (key: string) => (await postJson(`${first.url}/api/buy`, { showId: shop.showId, variantId: shop.variantId, quantity: 1, idempotencyKey: key }, gus)).json.order.id as string;
    const ids = [await buy('gus-vase-0001'), await buy('gus-vase-0002')];
    provider.stall = true;
    void postJson(`${first.url}/api/orders/pay-together`, { orderIds: ids, shippingAddress: testAddress, card: goodCard }, gus).catch(() => {});
    await expect.poll(() => provider.charges.length).toBe(1);
    await first.close();

    provider.stall = false;
    const second = await startApp(config, { webHandler: false, payments: provider });
    try {
      const orders = await Promise.all(ids.map(async (id) => (await getJson(`${second.url}/api/orders/${id}`, gus)).json.order));
      expect(orders.map((o) => o.status)).toEqual(['paid', 'paid']);
      // Two items together: 5.00 + 1.00 shipping, not 5.00 twice.
      expect(orders.reduce((s, o) => s + o.shipping, 0)).toBe(600);
      expect(orders.reduce((s, o) => s + o.total, 0)).toBe(provider.charges[0]!.amount);
      expect(provider.charges).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
