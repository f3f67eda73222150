import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson } from '../testing/http.ts';
import { goodCard, liveShowWithProduct, send, testAddress } from '../testing/commerce.ts';

describe('a show’s revenue on the stats page', () => {
  let app: RunningApp;
  let admin: string;
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await adminSession(app.url);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts paid orders in their currency, net of refunds, leaving out unpaid ones', async () => {
    const { showId, variantId } = await liveShowWithProduct(app.url, admin, { title: 'Bowl', price: 2500, stock: 5 });
    const buyer = await buyerSession(app.url, 'revenue@x.test');
    const buy = async (key: string) => (await send('POST', `${app.url}/api/buy`, { showId, variantId, quantity: 1, idempotencyKey: key }, buyer)).json.order.id as string;
    const paid = [await buy('revenue-1'), await buy('revenue-2')];
    await buy('revenue-unpaid');
    for (const id of paid) expect((await send('POST', `${app.url}/api/orders/${id}/pay`, { shippingAddress: testAddress, card: goodCard }, buyer)).status).toBe(200);
    const stats = async () => (await getJson(`${app.url}/api/shows/${showId}/stats`, admin)).json;
    const revenue = async () => (await stats()).revenue;
    expect(await revenue()).toEqual([{ currency: 'USD', amount: 5000 }]);
    // Every order counts, paid or not; its buyer once.
    expect((await stats()).now).toMatchObject({ orders: 3, buyers: 1 });

    expect((await send('POST', `${app.url}/api/orders/${paid[0]}/refund`, { reason: 'Chipped rim' }, admin)).status).toBe(200);
    expect(await revenue()).toEqual([{ currency: 'USD', amount: 2500 }]);
  });
});
