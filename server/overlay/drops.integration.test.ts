import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, getJson, postJson } from '../testing/http.ts';

describe('drops with a flash sale', () => {
  let app: RunningApp;
  let admin: string;
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await adminSession(app.url);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a sale of more units than the product has in stock, and changes nothing', async () => {
    const showId = (await postJson(`${app.url}/api/shows`, { title: 'Drops', scheduledAt: Date.now() }, admin)).json.show.id as string;
    const product = (await postJson(`${app.url}/api/products`, { title: 'Mug', currency: 'USD', price: 1200, variants: [{ name: 'Red', stock: 2 }, { name: 'Blue', stock: 1 }] }, admin)).json.product;
    const lineup = await fetch(`${app.url}/api/shows/${showId}/lineup`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ productIds: [product.id] }) });
    expect(lineup.status).toBe(200);
    const drop = (quantity: number) =>
      postJson(`${app.url}/api/shows/${showId}/drops`, { productId: product.id, countdownSeconds: 0, sale: { discountKind: 'percent', discountValue: 10, durationSeconds: 60, quantity, perBuyerLimit: 1 } }, admin);

    const refused = await drop(4);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'conflict', params: { reason: 'only_left', left: 3 } });
    expect((await getJson(`${app.url}/api/shows/${showId}/overlay`, admin)).json.overlay.drop).toBeNull();

    const accepted = await drop(3);
    expect(accepted.status).toBe(201);
    expect(accepted.json.overlay.drop.sale).toMatchObject({ quantity: 3, remaining: 3 });
  });
});
