import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { send } from '../testing/commerce.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

describe('a ban or block in a show keeps the buyer out of its sales, not only its chat', () => {
  let app: RunningApp;
  let host: Actor;
  let showId: string;
  let variantId: string;
  let productId: string;
  let lotId: string;
  let pollId: string;
  let couponId: string;
  const sockets: TestWsClient[] = [];

  const api = (method: string, path: string, body: unknown, who: Actor) => send(method, `${app.url}/api${path}`, body, who.cookie);
  const socketOf = async (who: Actor) => {
    const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: who.cookie });
    sockets.push(c);
    return c;
  };

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    host = await actorWithRole(app, 'host@bans.test', 'host');
    showId = (await api('POST', '/shows', { title: 'Ban night', scheduledAt: Date.now() }, host)).json.show.id;
    expect((await api('POST', `/shows/${showId}/live`, {}, host)).status).toBe(200);
    const product = (await api('POST', '/products', { title: 'Lamp', price: 2000, stock: 5 }, host)).json.product;
    productId = product.id;
    variantId = product.variants[0].id;
    expect((await api('PUT', `/shows/${showId}/lineup`, { productIds: [productId] }, host)).status).toBe(200);
    lotId = (await api('POST', `/shows/${showId}/lots`, { title: 'Vase', startingPrice: 1000, durationSeconds: 120 }, host)).json.lot.id;
    expect((await api('POST', `/lots/${lotId}/start`, {}, host)).status).toBe(200);
    pollId = (await api('POST', `/shows/${showId}/polls`, { question: 'Red or blue?', options: ['red', 'blue'] }, host)).json.overlay.poll.id;
    couponId = (await api('POST', `/shows/${showId}/coupons`, { code: 'TAKE-10', discountKind: 'percent', discountValue: 10, maxClaims: 5 }, host)).json.overlay.coupon.id;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
  });

  /** Tries every way of taking part; returns the outcome of each. */
  async function takePart(who: Actor, socket: TestWsClient, key: string) {
    const bid = await socket.call('bid', { lotId });
    const maxBid = await socket.call('setMaxBid', { lotId, maxAmount: 50_000 });
    const vote = await socket.call('vote', { showId, pollId, option: 0 });
    const buy = await api('POST', '/buy', { showId, variantId, idempotencyKey: `${key}-buy-key` }, who);
    const cart = await api('POST', '/cart/checkout', { items: [{ variantId, quantity: 1, showId }], idempotencyKey: `${key}-cart-key` }, who);
    const claim = await api('POST', `/coupons/${couponId}/claim`, {}, who);
    return {
      bid: bid.ok ? 'ok' : bid.error.code,
      maxBid: maxBid.ok ? 'ok' : maxBid.error.code,
      vote: vote.ok ? 'ok' : vote.error.code,
      buy: buy.status,
      cart: cart.status,
      claim: claim.status
    };
  }

  async function showState(watcher: TestWsClient) {
    const lot = (await watcher.request('auctionSnapshot', { showId })).lot!;
    const overlay = await watcher.request('overlaySnapshot', { showId });
    const stock = (await send('GET', `${app.url}/api/shows/${showId}/lineup`, undefined)).json.products[0].variants[0].stock;
    return { bidCount: lot.bidCount, price: lot.price, votes: overlay.poll!.votes, couponsLeft: overlay.coupon!.remaining, stock };
  }

  it('refuses bids, max bids, votes, buys and coupon claims from a banned or blocked buyer and writes nothing', async () => {
    const banned = await actorWithRole(app, 'banned@bans.test', 'buyer');
    const blocked = await actorWithRole(app, 'blocked@bans.test', 'buyer');
    // Their sockets were open before the ban: the ban must reach them at once.
    const bannedSocket = await socketOf(banned);
    const blockedSocket = await socketOf(blocked);
    expect((await api('POST', `/shows/${showId}/chat/bans`, { userId: banned.user.id }, host)).status).toBe(201);
    expect((await api('POST', `/shows/${showId}/chat/blocks`, { userId: blocked.user.id }, host)).status).toBe(201);

    const watcher = await socketOf(host);
    const before = await showState(watcher);
    const refused = { bid: 'forbidden', maxBid: 'forbidden', vote: 'forbidden', buy: 403, cart: 403, claim: 403 };
    expect(await takePart(banned, bannedSocket, 'banned')).toEqual(refused);
    expect(await takePart(blocked, blockedSocket, 'blocked')).toEqual(refused);
    expect(await showState(watcher)).toEqual(before);
    for (const who of [banned, blocked]) expect((await api('GET', '/orders', undefined, who)).json.orders).toEqual([]);

    // The same requests from a buyer in good standing go through: the refusals above were the ban's doing.
    const fan = await actorWithRole(app, 'fan@bans.test', 'buyer');
    expect(await takePart(fan, await socketOf(fan), 'fan')).toEqual({ bid: 'ok', maxBid: 'ok', vote: 'ok', buy: 201, cart: 201, claim: 200 });
  });

  it('lets a buyer take part again once unbanned, and keeps a chat timeout to the chat', async () => {
    const buyer = await actorWithRole(app, 'second-chance@bans.test', 'buyer');
    const socket = await socketOf(buyer);
    expect((await api('POST', `/shows/${showId}/chat/bans`, { userId: buyer.user.id }, host)).status).toBe(201);
    expect((await socket.call('vote', { showId, pollId, option: 1 })).ok).toBe(false);
    expect((await api('DELETE', `/shows/${showId}/chat/bans/${buyer.user.id}`, {}, host)).status).toBe(200);
    expect((await api('POST', `/shows/${showId}/chat/timeouts`, { userId: buyer.user.id, seconds: 60 }, host)).status).toBe(201);
    expect((await socket.call('chatSend', { showId, text: 'hello' })).ok).toBe(false);
    expect((await socket.call('vote', { showId, pollId, option: 1 })).ok).toBe(true);
  });
});
