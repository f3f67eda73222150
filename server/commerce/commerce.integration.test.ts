import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import { TEST_CARDS } from './payments.ts';
import { send, testAddress } from '../testing/commerce.ts';

const address = testAddress;

describe('live commerce over HTTP and ws', () => {
  let app: RunningApp;
  let base: string;
  let admin: string;
  let showId: string;
  let product: { id: string; variants: { id: string }[] };

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    admin = await adminSession(base);
    showId = (await liveShow(base, admin, 'Drop night')).id;
    product = (await postJson(`${base}/api/products`, { title: 'Silk scarf', currency: 'USD', price: 4000, stock: 3 }, admin)).json.product;
    expect((await send('PUT', `${base}/api/shows/${showId}/lineup`, { productIds: [product.id] }, admin)).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('rejects bad catalog input and other hosts’ products', async () => {
    expect((await postJson(`${base}/api/products`, { title: 'x', price: -100 }, admin)).status).toBe(400);
    expect((await postJson(`${base}/api/products`, { title: 'x', price: 1e12 }, admin)).status).toBe(400);
    expect((await postJson(`${base}/api/products`, { title: 'x', price: 100, stock: -1 }, admin)).status).toBe(400);
    const buyer = await buyerSession(base, 'nohost@x.test');
    expect((await postJson(`${base}/api/products`, { title: 'x', price: 100 }, buyer)).status).toBe(403);
    expect((await send('PATCH', `${base}/api/products/${product.id}`, { price: 1 }, buyer)).status).toBe(403);
    expect((await send('PUT', `${base}/api/shows/${showId}/pins`, { productIds: [product.id] }, buyer)).status).toBe(403);
    expect((await send('PUT', `${base}/api/shows/${showId}/pins`, { productIds: ['a', 'b', 'c', 'd'] }, admin)).status).toBe(400);
  });

  it('drops a product at one server instant, sells exactly its sale quantity, and updates stock live', async () => {
    const watcher = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`);
    await watcher.request('join', { showId, role: 'viewer' });
    const drop = await postJson(`${base}/api/shows/${showId}/drops`, {
      productId: product.id, countdownSeconds: 1, sale: { discountKind: 'percent', discountValue: 25, durationSeconds: 60, quantity: 2, perBuyerLimit: 1 }
    }, admin);
    expect(drop.status).toBe(201);
    const overlay = (await watcher.waitForNotification('overlay')).data as { drop: { dropAt: number; saleId: string; product: { id: string } } };
    expect(overlay.drop.product.id).toBe(product.id);
    expect(overlay.drop.dropAt).toBeGreaterThan(Date.now());
    // A late joiner gets the same drop from the snapshot.
    expect((await watcher.request('overlaySnapshot', { showId })).drop?.dropAt).toBe(overlay.drop.dropAt);

    const [ann, ben, cat] = await Promise.all(['ann', 'ben', 'cat'].map((n) => buyerSession(base, `${n}@drop.test`)));
    const buy = (cookie: string, key: string) =>
      postJson(`${base}/api/buy`, { showId, variantId: product.variants[0]!.id, saleId: overlay.drop.saleId, quantity: 1, idempotencyKey: key }, cookie);
    expect((await buy(ann!, 'early-key-1')).json.error.message).toMatch(/not started/);
    await new Promise((r) => setTimeout(r, Math.max(0, overlay.drop.dropAt - Date.now()) + 20));

    const first = await buy(ann!, 'ann-key-0001');
    expect(first.status).toBe(201);
    expect(first.json.order).toMatchObject({ status: 'pending_payment', subtotal: 3000, total: 3000 });
    const again = await buy(ann!, 'ann-key-0001');
    expect(again.json.order.id).toBe(first.json.order.id);
    expect((await buy(ann!, 'ann-key-0002')).json.error.message).toMatch(/1 per buyer/);
    expect((await buy(ben!, 'ben-key-0001')).status).toBe(201);
    expect((await buy(cat!, 'cat-key-0001')).json.error.message).toBe('Sold out.');

    const stock = await watcher.waitForNotification('stock');
    expect(stock.data).toMatchObject({ productId: product.id, sale: { remaining: expect.any(Number) } });
    await expect.poll(() => (watcher.notifications.filter((n) => n.notification === 'stock').at(-1)!.data as { sale: { remaining: number } }).sale.remaining).toBe(0);

    // A declined card leaves the order payable; a good card pays it; totals come from the server.
    const pay = (card: string) => postJson(`${base}/api/orders/${first.json.order.id}/pay`, { shippingAddress: address, card: { number: card, expiry: '12/40', cvc: '123' } }, ann!);
    const declined = await pay(TEST_CARDS.declined);
    expect(declined.status).toBe(402);
    expect(declined.json.error.message).toMatch(/declined/);
    const paid = await pay(TEST_CARDS.success);
    expect(paid.json.order).toMatchObject({ status: 'paid', total: 3000 });
    expect((await pay(TEST_CARDS.success)).status).toBe(409);

    // Ben cancels: his unit goes back to the sale and the next buyer gets it.
    const benOrder = (await getJson(`${base}/api/orders`, ben!)).json.orders[0];
    expect((await postJson(`${base}/api/orders/${benOrder.id}/cancel`, {}, ben!)).status).toBe(200);
    expect((await buy(cat!, 'cat-key-0002')).status).toBe(201);
    const sales = (await getJson(`${base}/api/shows/${showId}/sales`, admin)).json.orders;
    expect(sales.filter((o: { status: string }) => o.status !== 'cancelled')).toHaveLength(2);

    // The host ships Ann's order, then refunds it: the shipped unit is gone, so stock stays as it was.
    const annOrder = first.json.order.id;
    expect((await postJson(`${base}/api/orders/${annOrder}/fulfil`, {}, ann!)).status).toBe(403);
    expect((await postJson(`${base}/api/orders/${annOrder}/fulfil`, { carrier: 'CJ', trackingNumber: '1234' }, admin)).json.order.status).toBe('fulfilled');
    const stockBefore = (await getJson(`${base}/api/shows/${showId}/lineup`)).json.products[0].variants[0].stock;
    expect((await postJson(`${base}/api/orders/${annOrder}/refund`, { reason: 'Out of stock' }, admin)).json.order.status).toBe('refunded');
    expect((await getJson(`${base}/api/shows/${showId}/lineup`)).json.products[0].variants[0].stock).toBe(stockBefore);
    expect((await postJson(`${base}/api/orders/${annOrder}/refund`, { reason: 'Out of stock' }, admin)).status).toBe(409);
    watcher.close();
  });

  it('coupons: limited claims, one per buyer, one order each, applied on the server', async () => {
    const pushed = await postJson(`${base}/api/shows/${showId}/coupons`, { code: 'live10', discountKind: 'percent', discountValue: 10, maxClaims: 1 }, admin);
    expect(pushed.status).toBe(201);
    const coupon = pushed.json.overlay.coupon;
    expect(coupon).toMatchObject({ code: 'LIVE10', remaining: 1 });
    const dan = await buyerSession(base, 'dan@coupon.test');
    const eve = await buyerSession(base, 'eve@coupon.test');
    expect((await postJson(`${base}/api/coupons/${coupon.id}/claim`, {}, dan)).status).toBe(200);
    expect((await postJson(`${base}/api/coupons/${coupon.id}/claim`, {}, dan)).json.error.message).toMatch(/already claimed/);
    expect((await postJson(`${base}/api/coupons/${coupon.id}/claim`, {}, eve)).json.error.message).toMatch(/have been claimed/);

    const order = (await postJson(`${base}/api/buy`, { showId, variantId: product.variants[0]!.id, quantity: 1, idempotencyKey: 'dan-key-0001' }, dan)).json.order;
    expect(order.total).toBe(4000);
    const paid = await postJson(`${base}/api/orders/${order.id}/pay`, { shippingAddress: address, card: { number: TEST_CARDS.success, expiry: '12/40', cvc: '123' }, couponCode: 'live10' }, dan);
    expect(paid.json.order).toMatchObject({ status: 'paid', discount: 400, total: 3600 });
    // The host restocks one unit; the coupon does not come back with it.
    expect((await send('PUT', `${base}/api/variants/${product.variants[0]!.id}/stock`, { stock: 1 }, admin)).status).toBe(200);
    const second = (await postJson(`${base}/api/buy`, { showId, variantId: product.variants[0]!.id, quantity: 1, idempotencyKey: 'dan-key-0002' }, dan)).json.order;
    const reuse = await postJson(`${base}/api/orders/${second.id}/pay`, { shippingAddress: address, card: { number: TEST_CARDS.success, expiry: '12/40', cvc: '123' }, couponCode: 'LIVE10' }, dan);
    expect(reuse.status).toBe(409);
    expect(reuse.json.error.message).toMatch(/already used/);
    expect((await postJson(`${base}/api/buy`, { showId, variantId: product.variants[0]!.id, quantity: 1, idempotencyKey: 'dan-key-0003' }, dan)).json.error.message).toBe('Sold out.');
  });

  it('a refund returns the units of an unshipped order to stock, not those of a shipped one', async () => {
    const mug = (await postJson(`${base}/api/products`, { title: 'Mug', currency: 'USD', price: 1200, stock: 5 }, admin)).json.product;
    const stock = async () => (await getJson(`${base}/api/products`, admin)).json.products.find((p: { id: string }) => p.id === mug.id).variants[0].stock;
    const fay = await buyerSession(base, 'fay@refund.test');
    const order = async (key: string, quantity: number) => {
      const o = (await postJson(`${base}/api/buy`, { variantId: mug.variants[0].id, quantity, idempotencyKey: key }, fay)).json.order;
      expect((await postJson(`${base}/api/orders/${o.id}/pay`, { shippingAddress: address, card: { number: TEST_CARDS.success, expiry: '12/40', cvc: '123' } }, fay)).json.order.status).toBe('paid');
      return o.id as string;
    };
    const unshipped = await order('fay-refund-1', 2);
    expect(await stock()).toBe(3);
    expect((await postJson(`${base}/api/orders/${unshipped}/refund`, { reason: 'Out of stock' }, admin)).json.order.status).toBe('refunded');
    expect(await stock()).toBe(5);

    const shipped = await order('fay-refund-2', 2);
    expect((await postJson(`${base}/api/orders/${shipped}/fulfil`, { carrier: 'CJ', trackingNumber: '1234' }, admin)).json.order.status).toBe('fulfilled');
    expect((await postJson(`${base}/api/orders/${shipped}/refund`, { reason: 'Out of stock' }, admin)).json.order.status).toBe('refunded');
    expect(await stock()).toBe(3);
  });

  it('polls: one vote per buyer, tallies pushed live, the replay timeline keeps every push', async () => {
    const poll = (await postJson(`${base}/api/shows/${showId}/polls`, { question: 'Next colour?', options: ['Red', 'Blue'] }, admin)).json.overlay.poll;
    const voter = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`, { cookie: await buyerSession(base, 'vic@poll.test') });
    await voter.request('join', { showId, role: 'viewer' });
    expect(await voter.request('vote', { showId, pollId: poll.id, option: 1 })).toEqual({ votes: [0, 1] });
    expect(await voter.call('vote', { showId, pollId: poll.id, option: 0 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await voter.waitForNotification('pollResults')).data).toEqual({ pollId: poll.id, votes: [0, 1] });
    await send('PUT', `${base}/api/shows/${showId}/notice`, { text: 'Free shipping tonight!' }, admin);
    const timeline = (await getJson(`${base}/api/shows/${showId}/timeline`)).json;
    expect(timeline.events.map((e: { type: string }) => e.type)).toEqual(['drop', 'coupon', 'poll', 'notice']);
    voter.close();
  });
});
