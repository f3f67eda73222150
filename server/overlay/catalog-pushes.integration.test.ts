import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { hostSession, liveShowWithProduct, send } from '../testing/commerce.ts';
import type { OverlayState, StockUpdate } from '#shared/commerce.ts';

/** The first notification `name` whose data passes `test`, waiting for it if need be. */
async function received<T>(client: TestWsClient, name: string, test: (data: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    const found = client.notifications.find((n) => n.notification === name && test(n.data as T));
    if (found) return found.data as T;
  }
  throw new Error(`no matching ${name} notification`);
}

describe('catalog changes reach the rooms showing the product', () => {
  let app: RunningApp;
  let base: string;
  let host: string;
  const watchers: TestWsClient[] = [];

  async function watch(showId: string): Promise<TestWsClient> {
    const client = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`);
    watchers.push(client);
    await client.request('join', { showId, role: 'viewer' });
    return client;
  }

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    base = app.url;
    host = await hostSession(base, await adminSession(base), 'pusher@catalog.test');
  });
  afterAll(async () => {
    for (const w of watchers) w.close();
    await app.close();
  });

  it('pushes a stock edit from the inventory to a room whose lineup holds the product', async () => {
    const { showId, product, variantId } = await liveShowWithProduct(base, host, { title: 'Mug', price: 1500, stock: 5 });
    const watcher = await watch(showId);
    expect((await send('PUT', `${base}/api/variants/${variantId}/stock`, { stock: 9 }, host)).status).toBe(200);
    const update = await received<StockUpdate>(watcher, 'stock', (u) => u.productId === product.id);
    expect(update.variants).toEqual([{ id: variantId, stock: 9 }]);
  });

  it('takes an archived product off the overlay: unpinned, its drop cleared, its sale no longer buyable', async () => {
    const { showId, product, variantId } = await liveShowWithProduct(base, host, { title: 'Lamp', price: 6000, stock: 5 });
    const other = (await postJson(`${base}/api/products`, { title: 'Shade', currency: 'USD', price: 2000, stock: 5 }, host)).json.product as { id: string };
    await send('PUT', `${base}/api/shows/${showId}/lineup`, { productIds: [product.id, other.id] }, host);
    await send('PUT', `${base}/api/shows/${showId}/pins`, { productIds: [product.id, other.id] }, host);
    const sale = { discountKind: 'percent', discountValue: 10, durationSeconds: 60, quantity: 3, perBuyerLimit: 2 };
    const dropped = await postJson(`${base}/api/shows/${showId}/drops`, { productId: product.id, countdownSeconds: 0, sale }, host);
    const saleId = dropped.json.overlay.drop.saleId as string;
    // An order makes the delete an archive.
    const buyer = await buyerSession(base, 'lamp@catalog.test');
    const buy = (key: string) => postJson(`${base}/api/buy`, { showId, variantId, saleId, idempotencyKey: key }, buyer);
    expect((await buy('withdraw-before-1')).status).toBe(201);

    const watcher = await watch(showId);
    expect(await send('DELETE', `${base}/api/products/${product.id}`, {}, host)).toEqual({ status: 200, json: { outcome: 'archived' } });
    const state = await received<OverlayState>(watcher, 'overlay', (s) => s.drop === null);
    expect(state.pinned.map((p) => p.id)).toEqual([other.id]);
    expect((await getJson(`${base}/api/shows/${showId}/overlay`)).json.overlay).toMatchObject({ drop: null, pinned: [{ id: other.id }] });
    expect((await buy('withdraw-after-1')).status).toBe(404);
    expect((await app.catalog.lineup(showId)).map((p) => p.id)).toEqual([other.id]);
    const timeline = (await getJson(`${base}/api/shows/${showId}/timeline`)).json.events as { type: string; payload: unknown }[];
    expect(timeline.at(-1)).toMatchObject({ type: 'withdraw', payload: { productId: product.id } });
  });

  it('takes a deleted product off the pins too, and leaves a show not showing it alone', async () => {
    const { showId, product } = await liveShowWithProduct(base, host, { title: 'Vase', price: 3000, stock: 2 });
    const elsewhere = (await liveShowWithProduct(base, host, { title: 'Rug', price: 9000, stock: 1 })).showId;
    await send('PUT', `${base}/api/shows/${showId}/pins`, { productIds: [product.id] }, host);
    const before = (await getJson(`${base}/api/shows/${elsewhere}/timeline`)).json.events.length;

    const watcher = await watch(showId);
    expect(await send('DELETE', `${base}/api/products/${product.id}`, {}, host)).toEqual({ status: 200, json: { outcome: 'deleted' } });
    expect((await received<OverlayState>(watcher, 'overlay', (s) => s.pinned.length === 0)).pinned).toEqual([]);
    expect((await getJson(`${base}/api/shows/${elsewhere}/timeline`)).json.events.length).toBe(before);
  });
});
