import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, buyerSession, getJson, postJson } from '../testing/http.ts';
import { hostSession, liveShowWithProduct, send } from '../testing/commerce.ts';
import { PNG_1X1 } from '../testing/authorization-table.ts';
import { TestWsClient } from '../testing/ws-client.ts';

const HOUR = 3_600_000;

describe('duplicating and deleting shows', () => {
  let app: RunningApp;
  let base: string;
  let host: string;
  let otherHost: string;
  const hlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-show-copies-'));
  /** A recording on disk, as an ended show's LL-HLS encoder leaves it. */
  const recording = (showId: string) => {
    fs.mkdirSync(path.join(hlsDir, showId), { recursive: true });
    fs.writeFileSync(path.join(hlsDir, showId, 'vod.m3u8'), '#EXTM3U\n#EXT-X-ENDLIST\n');
    return path.join(hlsDir, showId);
  };

  const newShow = async (title: string, scheduledAt = Date.now() + HOUR) =>
    (await postJson(`${base}/api/shows`, { title, description: 'Denim and more', scheduledAt }, host)).json.show as { id: string; title: string };
  const listed = async (status: string) => ((await getJson(`${base}/api/shows?status=${status}`)).json.shows as { id: string }[]).map((s) => s.id);

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_DIR: hlsDir }), { webHandler: false });
    base = app.url;
    const admin = await adminSession(base);
    host = await hostSession(base, admin, 'copier@shows.test');
    otherHost = await hostSession(base, admin, 'other@shows.test');
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(hlsDir, { recursive: true, force: true });
  });

  it('copies title, description, cover and lineup into a new scheduled show, and nothing that happened in it', async () => {
    const { showId, product } = await liveShowWithProduct(base, host, { title: 'Jacket', price: 5000, stock: 4 });
    const cover = await fetch(`${base}/api/shows/${showId}/cover`, { method: 'PUT', headers: { 'content-type': 'image/png', cookie: host }, body: PNG_1X1 });
    expect(cover.status).toBe(200);
    await postJson(`${base}/api/shows/${showId}/lots`, { title: 'Lot', startingPrice: 1000, durationSeconds: 60 }, host);
    await send('PUT', `${base}/api/shows/${showId}/notice`, { text: 'Hello' }, host);
    await postJson(`${base}/api/shows/${showId}/end`, {}, host);
    const original = (await getJson(`${base}/api/shows/${showId}`)).json.show;

    expect((await postJson(`${base}/api/shows/${showId}/duplicate`, {}, otherHost)).status).toBe(403);
    const res = await postJson(`${base}/api/shows/${showId}/duplicate`, {}, host);
    expect(res.status).toBe(201);
    const copy = res.json.show;
    expect(copy).toMatchObject({ title: `${original.title} (copy)`, description: original.description, status: 'scheduled', coverUrl: original.coverUrl, startedAt: null });
    expect(copy.id).not.toBe(showId);
    // The original started in the past: the copy starts at the same time of day, ahead.
    expect(copy.scheduledAt).toBeGreaterThan(Date.now());
    expect((copy.scheduledAt - original.scheduledAt) % 86_400_000).toBe(0);
    expect((await getJson(`${base}/api/shows/${copy.id}/lineup`)).json.products.map((p: { id: string }) => p.id)).toEqual([product.id]);
    expect((await getJson(`${base}/api/shows/${copy.id}/lots`)).json.lots).toEqual([]);
    expect((await getJson(`${base}/api/shows/${copy.id}/timeline`)).json.events).toEqual([]);
  });

  it('takes the copy’s title in the host’s language and refuses a bad one', async () => {
    const show = await newShow('Knits');
    const named = await postJson(`${base}/api/shows/${show.id}/duplicate`, { title: 'Knits (사본)' }, host);
    expect([named.status, named.json.show.title]).toEqual([201, 'Knits (사본)']);
    const bad = await postJson(`${base}/api/shows/${show.id}/duplicate`, { title: 'x'.repeat(121) }, host);
    expect([bad.status, bad.json.error.params.reason]).toEqual([400, 'invalid_input']);
  });

  it('deletes a show without orders, only for its host, and never a live one', async () => {
    const show = await newShow('Soon gone');
    const waiting = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`);
    await waiting.request('join', { showId: show.id, role: 'viewer' });
    const refused = await send('DELETE', `${base}/api/shows/${show.id}`, {}, otherHost);
    expect(refused.status).toBe(403);
    expect((await getJson(`${base}/api/shows/${show.id}`)).status).toBe(200);

    const deleted = await send('DELETE', `${base}/api/shows/${show.id}`, {}, host);
    expect(deleted).toEqual({ status: 200, json: { outcome: 'deleted' } });
    // Whoever waited in its room is told it is over.
    expect((await waiting.waitForNotification('showStatus')).data).toEqual({ showId: show.id, status: 'ended' });
    waiting.close();
    expect((await getJson(`${base}/api/shows/${show.id}`)).status).toBe(404);
    expect(await listed('scheduled')).not.toContain(show.id);

    // An ended show's recording goes with it.
    const aired = await liveShowWithProduct(base, host, { title: 'Aired', price: 1000, stock: 1 });
    await postJson(`${base}/api/shows/${aired.showId}/end`, {}, host);
    const replay = recording(aired.showId);
    expect((await send('DELETE', `${base}/api/shows/${aired.showId}`, {}, host)).json).toEqual({ outcome: 'deleted' });
    expect(fs.existsSync(replay)).toBe(false);

    const { showId } = await liveShowWithProduct(base, host, { title: 'On air', price: 1000, stock: 1 });
    const live = await send('DELETE', `${base}/api/shows/${showId}`, {}, host);
    expect([live.status, live.json.error.code, live.json.error.params.reason]).toEqual([409, 'conflict', 'show_live']);
    expect(await listed('live')).toContain(showId);
  });

  it('archives a show with orders: gone from every list, its orders and the seller’s sales still read it', async () => {
    const { showId, variantId } = await liveShowWithProduct(base, host, { title: 'Boots', price: 8000, stock: 2 });
    const buyer = await buyerSession(base, 'keeper@shows.test');
    const bought = await postJson(`${base}/api/buy`, { showId, variantId, idempotencyKey: 'archive-order-1' }, buyer);
    expect(bought.status).toBe(201);
    await postJson(`${base}/api/shows/${showId}/end`, {}, host);
    expect(await listed('ended')).toContain(showId);
    const replay = recording(showId);

    expect(await send('DELETE', `${base}/api/shows/${showId}`, {}, host)).toEqual({ status: 200, json: { outcome: 'archived' } });
    expect(await listed('ended')).not.toContain(showId);
    expect(((await getJson(`${base}/api/shows`)).json.shows as { id: string }[]).map((s) => s.id)).not.toContain(showId);
    expect((await app.shows.hostedBy((await app.shows.get(showId)).host.id)).map((s) => s.id)).not.toContain(showId);

    // Its buyers may still want to see what they bought: the recording stays.
    expect(fs.existsSync(replay)).toBe(true);
    const order = await getJson(`${base}/api/orders/${bought.json.order.id}`, buyer);
    expect([order.status, order.json.order.showId]).toEqual([200, showId]);
    const sales = await getJson(`${base}/api/sales?showId=${showId}`, host);
    expect(sales.json.orders.map((o: { id: string }) => o.id)).toEqual([bought.json.order.id]);
    // The host can no longer change it, nor delete it twice.
    expect((await send('PATCH', `${base}/api/shows/${showId}`, { title: 'Back' }, host)).status).toBe(404);
    expect((await send('DELETE', `${base}/api/shows/${showId}`, {}, host)).status).toBe(404);
  });
});
