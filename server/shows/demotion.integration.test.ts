import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { goodCard, send, testAddress } from '../testing/commerce.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

describe('a host demoted by an admin loses host rights at once', () => {
  let app: RunningApp;
  let admin: Actor;
  let host: Actor;
  let showId: string;
  let productId: string;
  let lotId: string;
  let orderId: string;
  let hostSocket: TestWsClient;

  const api = (method: string, path: string, body: unknown, who: Actor) => send(method, `${app.url}/api${path}`, body, who.cookie);

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await actorWithRole(app, 'root@demotion.test', 'admin');
    host = await actorWithRole(app, 'host@demotion.test', 'host');
    const buyer = await actorWithRole(app, 'buyer@demotion.test', 'buyer');
    showId = (await api('POST', '/shows', { title: 'Last show', scheduledAt: Date.now() }, host)).json.show.id;
    expect((await api('POST', `/shows/${showId}/live`, {}, host)).status).toBe(200);
    const product = (await api('POST', '/products', { title: 'Kettle', price: 3000, stock: 4 }, host)).json.product;
    productId = product.id;
    expect((await api('PUT', `/shows/${showId}/lineup`, { productIds: [productId] }, host)).status).toBe(200);
    lotId = (await api('POST', `/shows/${showId}/lots`, { title: 'Teapot', startingPrice: 1000 }, host)).json.lot.id;
    orderId = (await api('POST', '/buy', { showId, variantId: product.variants[0].id, idempotencyKey: 'demotion-buy-1' }, buyer)).json.order.id;
    expect((await api('POST', `/orders/${orderId}/pay`, { shippingAddress: testAddress, card: goodCard }, buyer)).status).toBe(200);
    // Opened while still a host: the socket's identity must not keep the old rights.
    hostSocket = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: host.cookie });
    expect((await api('PUT', '/users/role', { email: host.user.email, role: 'buyer' }, admin)).status).toBe(200);
  });
  afterAll(async () => {
    hostSocket.close();
    await app.close();
  });

  it('refuses starting a lot, editing the lineup or the show, pushing a coupon and refunding, and changes nothing', async () => {
    expect((await api('POST', `/lots/${lotId}/start`, {}, host)).status).toBe(403);
    expect((await api('PUT', `/shows/${showId}/lineup`, { productIds: [] }, host)).status).toBe(403);
    expect((await api('PATCH', `/shows/${showId}`, { title: 'Mine still' }, host)).status).toBe(403);
    expect((await api('POST', `/shows/${showId}/coupons`, { code: 'STILL-HOST', discountKind: 'percent', discountValue: 50, maxClaims: 9 }, host)).status).toBe(403);
    expect((await api('POST', `/orders/${orderId}/refund`, {}, host)).status).toBe(403);
    expect((await api('POST', `/shows/${showId}/end`, {}, host)).status).toBe(403);

    const lots = (await api('GET', `/shows/${showId}/lots`, undefined, admin)).json.lots;
    expect(lots.map((l: { status: string }) => l.status)).toEqual(['queued']);
    expect((await api('GET', `/shows/${showId}/lineup`, undefined, admin)).json.products.map((p: { id: string }) => p.id)).toEqual([productId]);
    const show = (await api('GET', `/shows/${showId}`, undefined, admin)).json.show;
    expect(show).toMatchObject({ title: 'Last show', status: 'live' });
    expect((await api('GET', `/shows/${showId}/overlay`, undefined, admin)).json.overlay.coupon).toBeNull();
    expect((await api('GET', `/shows/${showId}/sales`, undefined, admin)).json.orders[0]).toMatchObject({ id: orderId, status: 'paid' });
  });

  it('refuses editing their products: price, stock and images stay as they were', async () => {
    const before = (await api('GET', '/products', undefined, host)).json.products[0];
    expect((await api('PATCH', `/products/${productId}`, { price: 1 }, host)).status).toBe(403);
    expect((await api('PUT', `/variants/${before.variants[0].id}/stock`, { stock: 999 }, host)).status).toBe(403);
    expect((await api('GET', '/products', undefined, host)).json.products[0]).toMatchObject({ price: before.price, variants: before.variants });
  });

  it('refuses publishing from a socket opened before the demotion', async () => {
    // The server may close such a socket on the role change; one still open must not publish.
    if (hostSocket.socket.readyState !== hostSocket.socket.OPEN) return;
    const join = await hostSocket.call('join', { showId, role: 'host' });
    expect(join.ok ? 'ok' : join.error.code).toBe('forbidden');
  });

  it('gives the rights back when the admin makes the account a host again', async () => {
    expect((await api('PUT', '/users/role', { email: host.user.email, role: 'host' }, admin)).status).toBe(200);
    expect((await api('PATCH', `/shows/${showId}`, { title: 'Back again' }, host)).status).toBe(200);
  });
});
