import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-lot-replay-'));
const file = path.join(dir, 'db.sqlite');
const config = () => testConfig({ DATABASE_PATH: file });

describe('a lot whose log does not replay at start', () => {
  let app: RunningApp | undefined;
  const clients: TestWsClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is set aside and reported while the server and every other lot carry on', async () => {
    app = await startApp(config(), { webHandler: false });
    let base = app.url;
    const admin = await adminSession(base);
    const ann = await buyerSession(base, 'ann@x.test', 'Ann');
    const liveLot = async (title: string) => {
      const show = await liveShow(base, admin, title);
      const lot = (await postJson(`${base}/api/shows/${show.id}/lots`, { title, startingPrice: 1000, durationSeconds: 600, counterBidSeconds: 5 }, admin)).json.lot;
      expect((await postJson(`${base}/api/lots/${lot.id}/start`, {}, admin)).status).toBe(200);
      return { showId: show.id as string, lotId: lot.id as string };
    };
    const broken = await liveLot('Corrupted lot');
    const healthy = await liveLot('Healthy lot');
    const a = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`, { cookie: ann });
    clients.push(a);
    for (const lot of [broken, healthy]) expect(await a.request('bid', { lotId: lot.lotId, amount: 1200 })).toMatchObject({ leading: true });
    a.close();
    await app.close();
    app = undefined;

    // A bid below the starting price cannot have been accepted: the log no longer replays.
    const raw = new Database(file);
    expect(raw.prepare("UPDATE auction_log SET amount = 1 WHERE lot_id = ? AND type = 'bid'").run(broken.lotId).changes).toBe(1);
    raw.close();

    app = await startApp(config(), { webHandler: false });
    base = app.url;
    expect((await getJson(`${base}/healthz`)).json).toMatchObject({ ok: true, auctionLotsSetAside: 1 });

    const ben = await buyerSession(base, 'ben@x.test', 'Ben');
    const b = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`, { cookie: ben });
    clients.push(b);
    for (const lot of [broken, healthy]) await b.request('join', { showId: lot.showId, role: 'viewer' });
    // The healthy lot resumed where it was and takes bids.
    expect((await b.request('auctionSnapshot', { showId: healthy.showId })).lot).toMatchObject({ id: healthy.lotId, status: 'live', price: 1200 });
    expect(await b.request('bid', { lotId: healthy.lotId, amount: 1500 })).toMatchObject({ leading: true });
    // The set-aside lot answers clearly instead of failing, and does not block the host's next lot.
    expect(await b.call('bid', { lotId: broken.lotId, amount: 1500 })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(await b.call('auctionSnapshot', { showId: broken.showId })).toMatchObject({ ok: true, data: { lot: null } });
    expect(await b.call('lotEvents', { lotId: broken.lotId, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    const next = (await postJson(`${base}/api/shows/${broken.showId}/lots`, { title: 'Next lot', startingPrice: 500, durationSeconds: 600, counterBidSeconds: 5 }, admin)).json.lot;
    expect((await postJson(`${base}/api/lots/${next.id}/start`, {}, admin)).status).toBe(200);
  }, 60_000);
});
