import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import { goodCard, send, testAddress } from '../testing/commerce.ts';
import { getJson } from '../testing/http.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { webhookPayloadSchemas, type WebhookEventType } from '#shared/webhooks.ts';

/** Retries in tenths of a second instead of minutes, given up after a few seconds instead of a day. */
const FAST_RETRIES = { firstDelayMs: 200, maxDelayMs: 400, giveUpAfterMs: 1_500 };

describe('signed webhooks from a real server to a real receiver', () => {
  let app: RunningApp;
  let receiver: WebhookReceiver;
  let host: Actor;
  let other: Actor;
  let buyer: Actor;
  const api = (method: string, path: string, who: Actor | null, body: unknown = {}) =>
    method === 'GET' ? getJson(`${app.url}/api${path}`, who?.cookie) : send(method, `${app.url}/api${path}`, body, who?.cookie);
  const ok = async (pending: Promise<{ status: number; json: any }>) => {
    const res = await pending;
    if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  const register = async (who: Actor, url: string, events: WebhookEventType[]) => (await ok(api('POST', '/webhooks', who, { url, events }))) as { endpoint: { id: string }; secret: string };
  const liveShow = async (who: Actor, title: string) => {
    const { show } = await ok(api('POST', '/shows', who, { title, scheduledAt: Date.now() }));
    await ok(api('POST', `/shows/${show.id}/live`, who));
    return show.id as string;
  };

  beforeAll(async () => {
    app = await startApp(testConfig({ WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOKS_ALLOW_HTTP: 'true' }), { webHandler: false, webhookRetry: FAST_RETRIES });
    receiver = await WebhookReceiver.start();
    host = await actorWithRole(app, 'host@webhooks.test', 'host');
    other = await actorWithRole(app, 'other@webhooks.test', 'host');
    buyer = await actorWithRole(app, 'buyer@webhooks.test', 'buyer');
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('reports every event type, signed (Standard Webhooks), with the documented payload', async () => {
    const path = '/all';
    const { secret } = await register(host, receiver.url(path), ['show.live', 'show.ended', 'order.paid', 'order.refunded', 'lot.sold', 'lot.unsold', 'drop.sold_out']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const showId = await liveShow(host, 'Everything night');
    const { product } = await ok(api('POST', '/products', host, { title: 'Teapot', currency: 'USD', price: 5000, stock: 10 }));
    await ok(api('PUT', `/shows/${showId}/lineup`, host, { productIds: [product.id] }));

    // A drop of one unit, bought at once: sold out, and an order that is paid and then refunded.
    const { overlay } = await ok(api('POST', `/shows/${showId}/drops`, host, { productId: product.id, countdownSeconds: 0, sale: { discountKind: 'percent', discountValue: 50, durationSeconds: 60, quantity: 1 } }));
    const { order } = await ok(api('POST', '/buy', buyer, { showId, variantId: product.variants[0].id, saleId: overlay.drop.saleId, idempotencyKey: 'drop-buy-1' }));
    await ok(api('POST', `/orders/${order.id}/pay`, buyer, { shippingAddress: testAddress, card: goodCard }));
    await ok(api('POST', `/orders/${order.id}/refund`, host, { reason: 'Out of stock after all' }));

    // One lot sold (started in the past, so it closes at once) and one stopped by its host.
    const sold = (await ok(api('POST', `/shows/${showId}/lots`, host, { title: 'Vase', startingPrice: 1000, durationSeconds: 10 }))).lot.id;
    const startedAt = Date.now() - 60_000;
    await app.auctions.start(host.user, sold, startedAt);
    await app.auctions.bid(buyer.user, sold, undefined, undefined, startedAt + 1000);
    await receiver.until(() => receiver.received.some((r) => r.raw.includes('"lot.sold"')));
    const stopped = (await ok(api('POST', `/shows/${showId}/lots`, host, { title: 'Bowl', startingPrice: 1000, durationSeconds: 600 }))).lot.id;
    await ok(api('POST', `/lots/${stopped}/start`, host));
    await ok(api('POST', `/lots/${stopped}/cancel`, host));
    await ok(api('POST', `/shows/${showId}/end`, host));

    await receiver.until(() => receiver.received.filter((r) => r.path === path).length >= 7);
    const bodies = receiver.verified(secret, path);
    // One show: its events arrive in the order they happened.
    expect(bodies.map((b) => b.type)).toEqual(['show.live', 'drop.sold_out', 'order.paid', 'order.refunded', 'lot.sold', 'lot.unsold', 'show.ended']);
    for (const b of bodies) {
      expect(webhookPayloadSchemas[b.type].strict().safeParse(b.data).success, b.type).toBe(true);
      expect(Date.parse(b.timestamp)).toBeGreaterThan(Date.now() - 120_000);
    }
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b.data])) as Record<WebhookEventType, any>;
    expect(byType['order.paid'].order).toMatchObject({ id: order.id, showId, currency: 'USD', total: order.total, items: [{ productId: product.id, quantity: 1, unitPrice: 2500 }] });
    expect(byType['order.refunded']).toMatchObject({ order: { id: order.id }, reason: 'Out of stock after all' });
    expect(byType['drop.sold_out'].drop).toMatchObject({ id: overlay.drop.saleId, showId, productId: product.id, quantity: 1 });
    expect(byType['lot.sold']).toMatchObject({ lot: { id: sold, showId, price: 1000, currency: 'USD' }, orderId: expect.any(String) });
    expect(byType['lot.unsold']).toMatchObject({ lot: { id: stopped }, reason: 'cancelled' });
    expect(byType['show.ended'].show).toMatchObject({ id: showId, title: 'Everything night', endedAt: expect.any(Number) });
    // Nothing about the buyer leaves the server.
    for (const r of receiver.received.filter((x) => x.path === path)) expect(r.raw).not.toMatch(/buyer@webhooks|Ann Buyer|Market St/);

    // The headers the spec names: the id stays the same across attempts; a tampered body fails verification.
    const first = receiver.received.find((r) => r.path === path)!;
    expect(first.headers['webhook-id']).toMatch(/^msg_\d+$/);
    expect(() => new Webhook(secret).verify(first.raw.replace('show.live', 'show.ended'), first.headers)).toThrow();
    const unused = await register(host, receiver.url('/unused'), ['show.live']);
    expect(() => new Webhook(unused.secret).verify(first.raw, first.headers)).toThrow();
    await ok(api('DELETE', `/webhooks/${unused.endpoint.id}`, host));
  }, 30_000);

  it('retries after 500s until the receiver answers 2xx, keeps a show’s order, and a dead endpoint blocks no other', async () => {
    const flaky = await register(host, receiver.url('/flaky'), ['show.live', 'show.ended']);
    const healthy = await register(host, receiver.url('/healthy'), ['show.live', 'show.ended']);
    const dead = await register(host, 'http://127.0.0.1:9/dead', ['show.live', 'show.ended']);
    let failures = 0;
    receiver.answer = (hit) => (hit.path === '/flaky' && failures++ < 3 ? { status: 500, body: 'x'.repeat(5000) } : { status: 204 });
    const showId = await liveShow(host, 'Flaky night');
    await ok(api('POST', `/shows/${showId}/end`, host));

    await receiver.until(() => receiver.received.filter((r) => r.path === '/healthy').length >= 2);
    await receiver.until(() => receiver.verified(flaky.secret, '/flaky').filter((b) => b.type === 'show.ended').length >= 1);
    const flakyHits = receiver.received.filter((r) => r.path === '/flaky');
    // Three 500s for show.live, then its success, and only then show.ended: never the later one while the earlier waits.
    expect(flakyHits.map((r) => JSON.parse(r.raw).type)).toEqual(['show.live', 'show.live', 'show.live', 'show.live', 'show.ended']);
    expect(new Set(flakyHits.slice(0, 4).map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Backed off: each retry waited longer than the one before it, give or take the jitter.
    const gaps = flakyHits.slice(1, 4).map((r, i) => r.at - flakyHits[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(receiver.verified(healthy.secret, '/healthy').map((b) => b.type)).toEqual(['show.live', 'show.ended']);

    const log = (await ok(api('GET', `/webhooks/${flaky.endpoint.id}/deliveries`, host))).deliveries;
    const live = log.find((d: { type: string; showId: string }) => d.type === 'show.live' && d.showId === showId);
    expect(live).toMatchObject({ status: 'delivered', attempts: 4, lastStatus: 204, nextAttemptAt: null });

    // The dead endpoint is tried until its schedule runs out, then marked failed with why.
    await expect.poll(async () => (await ok(api('GET', `/webhooks/${dead.endpoint.id}/deliveries`, host))).deliveries.map((d: { status: string }) => d.status), { timeout: 10_000 }).toEqual(['failed', 'failed']);
    const failed = (await ok(api('GET', `/webhooks/${dead.endpoint.id}/deliveries`, host))).deliveries[0];
    expect(failed.lastStatus).toBeNull();
    expect(failed.lastResponse).toMatch(/ECONNREFUSED/);
    expect(failed.attempts).toBeGreaterThan(2);
    await ok(api('DELETE', `/webhooks/${dead.endpoint.id}`, host));
    await ok(api('DELETE', `/webhooks/${healthy.endpoint.id}`, host));
    await ok(api('DELETE', `/webhooks/${flaky.endpoint.id}`, host));
    receiver.answer = () => ({ status: 200, body: 'ok' });
  }, 30_000);

  it('logs a long answer truncated, and replays a delivery to its owner alone', async () => {
    receiver.answer = () => ({ status: 200, body: 'y'.repeat(5000) });
    const { endpoint, secret } = await register(host, receiver.url('/replay'), ['show.live']);
    const showId = await liveShow(host, 'Replay night');
    await receiver.until(() => receiver.received.some((r) => r.path === '/replay'));
    const [delivery] = (await ok(api('GET', `/webhooks/${endpoint.id}/deliveries`, host))).deliveries;
    await expect.poll(async () => (await ok(api('GET', `/webhooks/${endpoint.id}/deliveries`, host))).deliveries[0].status).toBe('delivered');
    const logged = (await ok(api('GET', `/webhooks/${endpoint.id}/deliveries`, host))).deliveries[0];
    expect(logged.lastResponse.length).toBeLessThanOrEqual(1025);
    expect(logged.lastResponse.startsWith('yyyy')).toBe(true);

    // Another host, a buyer and an anonymous caller neither see nor replay it, nor learn that it exists.
    for (const who of [other, buyer]) {
      expect((await api('GET', `/webhooks/${endpoint.id}/deliveries`, who)).status).toBe(who === other ? 404 : 403);
      expect((await api('POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`, who)).status).toBe(who === other ? 404 : 403);
      expect((await api('DELETE', `/webhooks/${endpoint.id}`, who)).status).toBe(who === other ? 404 : 403);
    }
    expect((await api('GET', `/webhooks/${endpoint.id}/deliveries`, null)).status).toBe(401);
    expect((await ok(api('GET', '/webhooks', other))).endpoints).toEqual([]);

    const replayed = (await ok(api('POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`, host))).delivery;
    expect(replayed).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0 });
    await receiver.until(() => receiver.received.filter((r) => r.path === '/replay').length >= 2);
    const [a, b] = receiver.received.filter((r) => r.path === '/replay');
    expect(b!.headers['webhook-id']).toBe(a!.headers['webhook-id']);
    expect(receiver.verified(secret, '/replay').map((x) => x.data)).toEqual([{ show: expect.objectContaining({ id: showId }) }, { show: expect.objectContaining({ id: showId }) }]);
    expect((await api('POST', `/webhooks/${endpoint.id}/deliveries/999999/replay`, host)).status).toBe(404);
    receiver.answer = () => ({ status: 200, body: 'ok' });
  }, 30_000);

  it('refuses bad registrations with a 400 and keeps a host to its limit', async () => {
    const bad = async (body: unknown) => (await api('POST', '/webhooks', other, body)).status;
    expect(await bad({ url: 'ftp://127.0.0.1/x', events: ['show.live'] })).toBe(400);
    expect(await bad({ url: 'http://user:pw@127.0.0.1/x', events: ['show.live'] })).toBe(400);
    expect(await bad({ url: receiver.url(), events: [] })).toBe(400);
    expect(await bad({ url: receiver.url(), events: ['show.paused'] })).toBe(400);
    expect(await bad({ url: 'not a url', events: ['show.live'] })).toBe(400);
    expect((await api('POST', '/webhooks', buyer, { url: receiver.url(), events: ['show.live'] })).status).toBe(403);
    for (let i = 0; i < 10; i++) await register(other, receiver.url(`/n${i}`), ['show.live']);
    expect((await api('POST', '/webhooks', other, { url: receiver.url('/n10'), events: ['show.live'] })).status).toBe(409);
  });
});
