import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, liveShow, postJson } from '../testing/http.ts';
import type { AuctionEvent, LotDto } from '#shared/auctions.ts';
import { Auction } from './auction.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-closed-lot-'));
const file = path.join(dir, 'db.sqlite');

/** Row counts of what a read must never write: the bid log, lot summaries and orders. */
function written(): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT (SELECT count(*) FROM auction_log) AS log, (SELECT count(*) FROM orders) AS orders, (SELECT group_concat(status || seq) FROM lots) AS lots').get();
  } finally {
    db.close();
  }
}

describe('a closed lot', () => {
  let app: RunningApp | undefined;
  const clients: TestWsClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is read from its log as it was at close, without running a lot again', async () => {
    app = await startApp(testConfig({ DATABASE_PATH: file }), { webHandler: false });
    const base = app.url;
    const ws = `${base.replace('http', 'ws')}/ws`;
    const admin = await adminSession(base);
    const show = await liveShow(base, admin, 'Closing night');
    const lot = (await postJson(`${base}/api/shows/${show.id}/lots`, { title: 'Lamp', startingPrice: 1000, durationSeconds: 10, counterBidSeconds: 1 }, admin)).json.lot;

    const ann = await TestWsClient.connect(ws, { cookie: await buyerSession(base, 'ann@x.test', 'Ann') });
    const ben = await TestWsClient.connect(ws, { cookie: await buyerSession(base, 'ben@x.test', 'Ben') });
    clients.push(ann, ben);
    for (const c of [ann, ben]) await c.request('join', { showId: show.id, role: 'viewer' });
    expect((await postJson(`${base}/api/lots/${lot.id}/start`, {}, admin)).status).toBe(200);
    await ann.request('setMaxBid', { lotId: lot.id, maxAmount: 3000 });
    await ben.request('bid', { lotId: lot.id, amount: 1500 });

    // What the room was told while the lot ran, up to and including its close.
    const told = () => ({
      lot: ben.notifications.map((n) => (n.notification === 'lotChanged' ? (n.data as { lot: LotDto }).lot : null)).find((l) => l?.status === 'sold'),
      events: ben.notifications.filter((n) => n.notification === 'auctionEvents').flatMap((n) => (n.data as { events: AuctionEvent[] }).events)
    });
    await expect.poll(() => told().lot && told().events.at(-1)?.type, { timeout: 20_000 }).toBe('closed');
    const atClose = told();
    expect(atClose.events.at(-1)).toMatchObject({ type: 'closed', result: 'sold', price: 1600 });

    const before = written();
    const load = vi.spyOn(Auction, 'load');
    const snapshot = await ann.request('auctionSnapshot', { showId: show.id });
    expect(snapshot).toEqual({ lot: atClose.lot, events: atClose.events, myMax: 3000 });
    expect((await ben.request('lotEvents', { lotId: lot.id, afterSeq: 2 })).events).toEqual(atClose.events.filter((e) => e.seq > 2));
    expect(load).not.toHaveBeenCalled();
    expect(written()).toEqual(before);
  }, 30_000);
});
