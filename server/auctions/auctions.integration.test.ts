import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { lastingDatabase, testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import type { AuctionEvent } from '#shared/auctions.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-auction-'));
const database = lastingDatabase(dir);
const config = () => testConfig(database);

/** All auction events a client received, flattened in arrival order. */
function received(c: TestWsClient): AuctionEvent[] {
  return c.notifications.filter((n) => n.notification === 'auctionEvents').flatMap((n) => (n.data as { events: AuctionEvent[] }).events);
}

describe('auctions over real ws connections', () => {
  let app: RunningApp;
  const clients: TestWsClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a lot end to end, survives a restart without losing a bid, and sells to the winner', async () => {
    app = await startApp(config(), { webHandler: false });
    const base = app.url;
    const ws = `${base.replace('http', 'ws')}/ws`;
    const admin = await adminSession(base);
    const show = await liveShow(base, admin, 'Auction night');
    const lot = (await postJson(`${base}/api/shows/${show.id}/lots`, { title: 'Denim jacket', startingPrice: 1000, durationSeconds: 10, counterBidSeconds: 1 }, admin)).json.lot;
    expect(lot.status).toBe('queued');
    expect((await postJson(`${base}/api/shows/${show.id}/lots`, { title: 'Bad', startingPrice: -5 }, admin)).status).toBe(400);

    const ann = await buyerSession(base, 'ann@x.test', 'Ann');
    const ben = await buyerSession(base, 'ben@x.test', 'Ben');
    const a = await TestWsClient.connect(ws, { cookie: ann });
    const b = await TestWsClient.connect(ws, { cookie: ben });
    const watcher = await TestWsClient.connect(ws);
    const host = await TestWsClient.connect(ws, { cookie: admin });
    clients.push(a, b, watcher, host);
    for (const c of [a, b, watcher, host]) await c.request('join', { showId: show.id, role: 'viewer' });

    expect(await a.call('bid', { lotId: lot.id })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    const started = (await postJson(`${base}/api/lots/${lot.id}/start`, {}, admin)).json.lot;
    // The counter-bid window is raised to what the slowest viewer class needs.
    expect(started.counterBidSeconds).toBeGreaterThanOrEqual(3);

    expect(await a.request('bid', { lotId: lot.id, expected: 1000 })).toMatchObject({ amount: 1000, leading: true });
    expect(await b.call('bid', { lotId: lot.id, amount: 1050 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await b.call('bid', { lotId: lot.id, expected: 1000 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await host.call('bid', { lotId: lot.id, amount: 5000 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await watcher.call('bid', { lotId: lot.id })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await b.request('bid', { lotId: lot.id, amount: 1500 })).toMatchObject({ leading: true });
    expect(await a.request('setMaxBid', { lotId: lot.id, maxAmount: 3000 })).toMatchObject({ leading: true, myMax: 3000 });
    const snap = await b.request('auctionSnapshot', { showId: show.id });
    expect([snap.lot?.price, snap.lot?.leader?.id, snap.myMax]).toEqual([1600, expect.any(String), 1500]);

    // Every client saw every event, in order, gapless.
    await expect.poll(() => received(watcher).length).toBe(snap.events.length);
    expect(received(watcher).map((e) => e.seq)).toEqual(snap.events.map((_, i) => i + 1));

    // Restart: everything accepted is still there and bidding continues.
    await app.close();
    app = await startApp(config(), { webHandler: false });
    const ws2 = `${app.url.replace('http', 'ws')}/ws`;
    const b2 = await TestWsClient.connect(ws2, { cookie: ben });
    clients.push(b2);
    await b2.request('join', { showId: show.id, role: 'viewer' });
    const after = await b2.request('auctionSnapshot', { showId: show.id });
    expect(after.events.slice(0, snap.events.length)).toEqual(snap.events);
    expect(after.events.at(-1)).toMatchObject({ type: 'resumed' });
    expect(after.lot?.price).toBe(1600);
    expect(await b2.request('bid', { lotId: lot.id, amount: 3500 })).toMatchObject({ leading: true });

    const closed = await (async () => {
      for (;;) {
        const c = received(b2).find((e) => e.type === 'closed');
        if (c) return c;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    expect(closed).toMatchObject({ type: 'closed', result: 'sold', price: 3500 });
    const benOrders = (await getJson(`${app.url}/api/orders`, ben)).json.orders;
    expect(benOrders[0]).toMatchObject({ lotId: lot.id, status: 'pending_payment', total: 3500 });
    expect(await b2.call('bid', { lotId: lot.id, amount: 9000 })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });

    // The winner declines; the host offers it to the runner-up at their maximum.
    expect((await postJson(`${app.url}/api/orders/${benOrders[0].id}/cancel`, {}, ben)).status).toBe(200);
    const offer = await postJson(`${app.url}/api/lots/${lot.id}/offer-runner-up`, {}, admin);
    expect(offer.status).toBe(201);
    expect(offer.json.order).toMatchObject({ total: 3000, status: 'pending_payment' });
    expect((await getJson(`${app.url}/api/orders`, ann)).json.orders[0]).toMatchObject({ lotId: lot.id, total: 3000 });
  }, 60_000);
});
