import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { hostSession, liveShowWithProduct, send } from '../testing/commerce.ts';

describe('a host duplicates and deletes products', () => {
  let app: RunningApp;
  let base: string;
  let host: string;
  let otherHost: string;

  const create = async (cookie: string, body: Record<string, unknown>) => (await postJson(`${base}/api/products`, { currency: 'USD', price: 2500, ...body }, cookie)).json.product;
  const inventory = async (cookie: string) => (await getJson(`${base}/api/products`, cookie)).json.products.map((p: { id: string }) => p.id);

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    const admin = await adminSession(base);
    host = await hostSession(base, admin, 'upkeep-host@catalog.test');
    otherHost = await hostSession(base, admin, 'upkeep-other@catalog.test');
  });
  afterAll(async () => {
    await app.close();
  });

  it('a duplicate copies the fields and every variant with its stock, under new ids', async () => {
    const original = await create(host, { title: 'Tee', description: 'Cotton', variants: [{ name: 'S', sku: 'TEE-S', stock: 3 }, { name: 'M', price: 2700, stock: 0 }] });
    const res = await postJson(`${base}/api/products/${original.id}/duplicate`, {}, host);
    expect(res.status).toBe(201);
    const copy = res.json.product;
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ title: 'Tee', description: 'Cotton', currency: 'USD', price: 2500 });
    expect(copy.variants.map((v: Record<string, unknown>) => [v.name, v.sku, v.price, v.stock])).toEqual([['S', 'TEE-S', 2500, 3], ['M', null, 2700, 0]]);
    expect(copy.variants.map((v: { id: string }) => v.id)).not.toContain(original.variants[0].id);
    expect(await inventory(host)).toEqual(expect.arrayContaining([original.id, copy.id]));
  });

  it('a product never ordered is deleted; one with orders is archived, leaves lineup and inventory, and its order keeps it', async () => {
    const unsold = await create(host, { title: 'Unsold', stock: 2 });
    const gone = await send('DELETE', `${base}/api/products/${unsold.id}`, {}, host);
    expect(gone).toMatchObject({ status: 200, json: { outcome: 'deleted' } });
    expect(await inventory(host)).not.toContain(unsold.id);
    expect(await app.catalog.many([unsold.id])).toEqual([]);

    const { showId, product, variantId } = await liveShowWithProduct(base, host, { title: 'Sold', price: 4000, stock: 5 });
    const buyer = await buyerSession(base, 'upkeep-buyer@catalog.test');
    const order = (await postJson(`${base}/api/buy`, { showId, variantId, quantity: 1, idempotencyKey: 'upkeep-1' }, buyer)).json.order;
    const archived = await send('DELETE', `${base}/api/products/${product.id}`, {}, host);
    expect(archived).toMatchObject({ status: 200, json: { outcome: 'archived' } });
    expect(await inventory(host)).not.toContain(product.id);
    expect((await getJson(`${base}/api/shows/${showId}/lineup`, host)).json.products).toEqual([]);
    expect((await getJson(`${base}/api/orders/${order.id}`, buyer)).json.order.id).toBe(order.id);
    expect((await postJson(`${base}/api/buy`, { variantId, quantity: 1, idempotencyKey: 'upkeep-2' }, buyer)).status).toBe(404);
    expect((await send('DELETE', `${base}/api/products/${product.id}`, {}, host)).status).toBe(404);
  });

  it('another host can neither duplicate nor delete a product', async () => {
    const mine = await create(host, { title: 'Mine', stock: 1 });
    expect((await postJson(`${base}/api/products/${mine.id}/duplicate`, {}, otherHost)).status).toBe(403);
    expect((await send('DELETE', `${base}/api/products/${mine.id}`, {}, otherHost)).status).toBe(403);
    expect(await inventory(otherHost)).toEqual([]);
    expect(await inventory(host)).toContain(mine.id);
  });
});
