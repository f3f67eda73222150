import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, liveShow, postJson } from '../testing/http.ts';

async function put(url: string, body: unknown, cookie: string): Promise<number> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  await res.body?.cancel();
  return res.status;
}

/** The notification names a client got, in order, without the room's own viewer counts. */
const names = (c: TestWsClient) => c.notifications.map((n) => n.notification).filter((n) => n !== 'viewerCount');

describe('room updates: what the domains commit reaches the show’s room, and only it', () => {
  let app: RunningApp;
  let admin: string;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await adminSession(app.url);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  const liveShowId = async (title: string): Promise<string> => (await liveShow(app.url, admin, title)).id;
  const watcher = async (showId: string, cookie?: string): Promise<TestWsClient> => {
    const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, cookie ? { cookie } : {});
    clients.push(c);
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };

  it('forwards lots, coupons, chat settings and stock (bought and handed back) to the room, then the show’s end closes it', async () => {
    const showId = await liveShowId('Forwarded');
    const elsewhere = await watcher(await liveShowId('Elsewhere'));
    const buyer = await buyerSession(app.url, 'room-updates@x.test');
    const viewer = await watcher(showId, buyer);
    const studio = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: admin });
    clients.push(studio);
    await studio.request('join', { showId, role: 'host' });

    const lot = (await postJson(`${app.url}/api/shows/${showId}/lots`, { title: 'Vase', startingPrice: 1000 }, admin)).json.lot;
    expect((await viewer.waitForNotification('lotChanged')).data).toMatchObject({ lot: { id: lot.id, status: 'queued' } });

    const coupon = (await postJson(`${app.url}/api/shows/${showId}/coupons`, { code: 'ROOM5', discountKind: 'percent', discountValue: 5, maxClaims: 3 }, admin)).json.overlay.coupon;
    expect((await postJson(`${app.url}/api/coupons/${coupon.id}/claim`, {}, buyer)).status).toBe(200);
    expect((await viewer.waitForNotification('couponRemaining')).data).toEqual({ couponId: coupon.id, remaining: 2 });

    expect(await put(`${app.url}/api/shows/${showId}/chat/slow-mode`, { seconds: 15 }, admin)).toBe(200);
    expect((await viewer.waitForNotification('chatSettings')).data).toMatchObject({ slowModeSeconds: 15 });

    const product = (await postJson(`${app.url}/api/products`, { title: 'Cup', currency: 'USD', price: 900, stock: 4 }, admin)).json.product;
    expect(await put(`${app.url}/api/shows/${showId}/lineup`, { productIds: [product.id] }, admin)).toBe(200);
    const variantId = product.variants[0].id as string;
    const order = (await postJson(`${app.url}/api/buy`, { showId, variantId, quantity: 1, idempotencyKey: 'room-updates-1' }, buyer)).json.order;
    const stockOf = () => viewer.notifications.filter((n) => n.notification === 'stock').map((n) => (n.data as { variants: { stock: number }[] }).variants[0]!.stock);
    await expect.poll(stockOf).toEqual([3]);
    // The studio rereads its sales on each order placed, paid or lapsed; the note names only the show,
    // and goes to the studio alone: a drop's rush of orders costs the viewers' sockets nothing.
    const salesChanged = (c: TestWsClient) => c.notifications.filter((n) => n.notification === 'salesChanged').map((n) => n.data);
    await expect.poll(() => salesChanged(studio)).toEqual([{ showId }]);
    expect((await postJson(`${app.url}/api/orders/${order.id}/cancel`, {}, buyer)).status).toBe(200);
    await expect.poll(stockOf).toEqual([3, 4]);
    await expect.poll(() => salesChanged(studio)).toEqual([{ showId }, { showId }]);
    expect(salesChanged(viewer)).toEqual([]);

    expect((await postJson(`${app.url}/api/shows/${showId}/end`, {}, admin)).status).toBe(200);
    expect((await viewer.waitForNotification('showStatus')).data).toEqual({ showId, status: 'ended' });
    await expect.poll(() => [...app.rooms.openRooms()].some((r) => r.showId === showId)).toBe(false);

    // The other show's room heard none of it.
    expect(names(elsewhere)).toEqual([]);
  });
});
