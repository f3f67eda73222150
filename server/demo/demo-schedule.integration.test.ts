import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import type { AuctionEvent, LotDto } from '#shared/auctions.ts';
import { DEMO_ACCOUNTS, DEMO_PRODUCTS } from './demo-content.ts';

const wsUrl = (app: RunningApp) => `${app.url.replace('http', 'ws')}/ws`;

describe('the demo show’s shop, at test pace (10 s lots)', () => {
  let app: RunningApp;
  let showId: string;
  beforeAll(async () => {
    app = await startApp(testConfig({ DEMO_SHOW: 'true', DEMO_LOT_SECONDS: '10', HLS_ENABLED: 'false' }), { webHandler: false });
    showId = (await app.shows.findDemo())!.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stocks a lineup of products with images drawn at start, and gives the show a cover', async () => {
    const cover = await fetch(`${app.url}${(await app.shows.get(showId)).coverUrl}`);
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/webp');
    const lineup = await app.catalog.lineup(showId);
    expect(lineup.map((p) => p.title)).toEqual(DEMO_PRODUCTS.map((p) => p.name));
    for (const p of lineup) {
      expect(p.images).toHaveLength(1);
      const image = await fetch(`${app.url}${p.images[0]}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/webp');
      expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(2000);
    }
  });

  it('runs a lot that demo bidders bid up and extend on soft close until it sells, and declines the demo win', async () => {
    // The first lot opens at start; follow whichever lot runs now to its end.
    let running: LotDto | null = null;
    await expect.poll(async () => (running = (await app.auctions.snapshot(showId, null)).lot)?.status, { timeout: 5_000 }).toBe('live');
    const lotId = running!.id;
    let closed: { lot: LotDto | null; events: AuctionEvent[] } = { lot: null, events: [] };
    await expect
      .poll(async () => (closed = await app.auctions.snapshot(showId, null)).lot?.id === lotId && closed.lot?.status, { timeout: 30_000, interval: 250 })
      .toBe('sold');
    const bids = closed.events.filter((e) => e.type === 'bid');
    expect(bids.length).toBeGreaterThanOrEqual(3);
    const demoNames = DEMO_ACCOUNTS.map((a) => a.displayName as string);
    expect(bids.every((b) => demoNames.includes(b.bidder.displayName))).toBe(true);
    // The price moved up with every bid, from the starting price to the hammer price.
    const amounts = bids.map((b) => b.amount);
    expect(amounts[0]).toBe(closed.lot!.startingPrice);
    expect(amounts.every((a, i) => i === 0 || a > amounts[i - 1]!)).toBe(true);
    expect(closed.lot!.price).toBe(amounts.at(-1));
    // One bid came inside the closing window, and the soft close moved the end to a full window after it.
    const counterBidMs = closed.lot!.counterBidSeconds * 1000;
    expect(bids.some((b) => b.endsAt === b.at + counterBidMs)).toBe(true);
    expect(closed.lot!.leader?.displayName).toMatch(/\(demo\)$/);
    // The demo bidder's win holds no order open: it is declined at once.
    await expect.poll(async () => (await app.orders.forLot(lotId)).map((o) => o.status), { timeout: 5_000 }).toEqual(['cancelled']);
    // And the next lot follows after a pause.
    await expect.poll(async () => (await app.auctions.snapshot(showId, null)).lot?.id !== lotId, { timeout: 10_000 }).toBe(true);
  }, 60_000);

  it('counts a drop down, then opens its flash sale to buyers', async () => {
    let drop = (await app.overlay.state(showId)).drop;
    // Wait for a drop still counting down.
    await expect.poll(async () => ((drop = (await app.overlay.state(showId)).drop) ? drop.dropAt - Date.now() : 0), { timeout: 20_000, interval: 100 }).toBeGreaterThan(1000);
    const counting = drop!;
    expect(counting.sale).toMatchObject({ startsAt: counting.dropAt, quantity: 10, remaining: 10, discountKind: 'percent', discountValue: 20 });
    const buyer = await buyerSession(app.url, 'drop-buyer@demo.test');
    const buy = (key: string) =>
      postJson(`${app.url}/api/buy`, { showId, variantId: counting.product.variants[0]!.id, saleId: counting.sale!.id, idempotencyKey: key }, buyer);
    expect((await buy('demo-drop-early')).status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, counting.dropAt - Date.now() + 50));
    const bought = await buy('demo-drop-on-time');
    expect(bought.status).toBe(201);
    expect(bought.json.order.total).toBe(Math.round(counting.product.price * 0.8));
  }, 30_000);

  it('runs a poll the demo accounts vote in, a coupon, and demo chat', async () => {
    await expect.poll(async () => (await app.overlay.state(showId)).poll?.votes.reduce((a, b) => a + b, 0) ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await app.overlay.state(showId)).coupon).toMatchObject({ code: expect.stringMatching(/^DEMO10-/), discountKind: 'percent', discountValue: 10 });
    const viewer = await TestWsClient.connect(wsUrl(app));
    try {
      await expect
        .poll(async () => (await viewer.request('chatHistory', { showId })).messages.filter((m) => m.user.displayName.endsWith('(demo)')).length, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2);
    } finally {
      viewer.close();
    }
  }, 40_000);

  it('forgets closed lots and the demo accounts’ declined orders, and keeps buyers’ orders', async () => {
    const demoIds = (await Promise.all(DEMO_ACCOUNTS.map((a) => app.accounts.findByEmail(a.email)))).map((u) => u!.id);
    const buyerOrders = async () => (await getJson(`${app.url}/api/orders`, await buyerSession(app.url, 'drop-buyer@demo.test'))).json.orders.length;
    const kept = await buyerOrders();
    expect(kept).toBeGreaterThan(0);
    const closed = (await app.auctions.lots(showId)).filter((l) => l.status === 'sold');
    expect(closed.length).toBeGreaterThan(0);
    const now = Date.now();
    expect(await app.auctions.pruneClosed(showId, now)).toBeGreaterThanOrEqual(closed.length);
    expect((await app.auctions.lots(showId)).filter((l) => l.status === 'sold')).toEqual([]);
    expect(await app.orders.deleteLapsed(demoIds, now)).toBeGreaterThanOrEqual(closed.length);
    expect(await buyerOrders()).toBe(kept);
  });

  it('leaves real shows alone', async () => {
    const admin = await adminSession(app.url);
    const real = await liveShow(app.url, admin, 'A real show');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await getJson(`${app.url}/api/shows/${real.id}/lots`, admin)).json.lots).toEqual([]);
    expect((await getJson(`${app.url}/api/shows/${real.id}/overlay`, admin)).json.overlay).toMatchObject({ rev: 0, drop: null, poll: null, coupon: null, pinned: [] });
  });
});

describe('DEMO_SHOW=false', () => {
  it('creates no demo shop: no products, lots, overlay, or demo accounts', async () => {
    const app = await startApp(testConfig({ DEMO_SHOW: 'false', DEMO_LOT_SECONDS: '10' }), { webHandler: false });
    try {
      const demo = (await app.shows.findDemo())!;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await app.catalog.lineup(demo.id)).toEqual([]);
      expect(await app.auctions.lots(demo.id)).toEqual([]);
      expect((await app.overlay.state(demo.id)).rev).toBe(0);
      for (const a of DEMO_ACCOUNTS) expect(await app.accounts.findByEmail(a.email)).toBeNull();
    } finally {
      await app.close();
    }
  });
});
