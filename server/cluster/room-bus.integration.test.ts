import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import { startScratchRedis, type ScratchRedis } from '../testing/redis.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import type { ChatMessageDto } from '#shared/chat.ts';

/**
 * Two nodes on one Redis: what is committed on one reaches the rooms of the other, in order.
 * The nodes share one SQLite file in WAL mode, which two processes on one machine may.
 */
describe('room messages between two nodes', () => {
  let redis: ScratchRedis;
  let dir: string;
  let a: RunningApp;
  let b: RunningApp;
  let showId: string;
  let admin: string;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    redis = await startScratchRedis();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-two-nodes-'));
    const config = testConfig({ REDIS_URL: redis.url, DATABASE_PATH: path.join(dir, 'hawker.db'), HLS_ENABLED: 'false' });
    a = await startApp(config, { webHandler: false });
    b = await startApp(config, { webHandler: false });
    admin = await adminSession(a.url);
    showId = (await liveShow(a.url, admin, 'Two-node show')).id;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const viewer = async (node: RunningApp, cookie?: string) => {
    const c = await TestWsClient.connect(`${node.url.replace('http', 'ws')}/ws`, cookie ? { cookie } : {});
    clients.push(c);
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };
  const chatTexts = (c: TestWsClient) =>
    c.notifications.filter((n) => n.notification === 'chat').flatMap((n) => (n.data as { messages: ChatMessageDto[] }).messages.map((m) => m.text));

  it('delivers chat sent on either node to viewers on both, in one order', async () => {
    const onA = await viewer(a, await buyerSession(a.url, 'ann@nodes.test', 'Ann'));
    const onB = await viewer(b, await buyerSession(b.url, 'ben@nodes.test', 'Ben'));
    for (let i = 0; i < 4; i++) await (i % 2 ? onB : onA).request('chatSend', { showId, text: `line ${i}` });
    const expected = ['line 0', 'line 1', 'line 2', 'line 3'];
    await expect.poll(() => chatTexts(onA)).toEqual(expected);
    await expect.poll(() => chatTexts(onB)).toEqual(expected);
  });

  it('counts hearts and viewers over both nodes', async () => {
    const [onA, onB] = [await viewer(a), await viewer(b)];
    await onA.request('heart', { showId });
    await onB.request('heart', { showId });
    await onB.request('heart', { showId });
    const lastTotal = (c: TestWsClient) => (c.notifications.filter((n) => n.notification === 'hearts').at(-1)?.data as { total: number } | undefined)?.total;
    await expect.poll(() => [lastTotal(onA), lastTotal(onB)]).toEqual([3, 3]);
    expect((await (await viewer(a)).request('chatHistory', { showId })).heartsTotal).toBe(3);
    const lastCount = (c: TestWsClient) => (c.notifications.filter((n) => n.notification === 'viewerCount').at(-1)?.data as { count: number } | undefined)?.count;
    const here = [...(await a.rooms.find(showId)!).peers(), ...(await b.rooms.find(showId)!).peers()].filter((p) => p.role === 'viewer').length;
    await expect.poll(() => [lastCount(onA), lastCount(onB)], { timeout: 8000 }).toEqual([here, here]);
  });

  it('ends a socket on one node when its session signs out on the other, and a ban on one node holds on the other', async () => {
    const cat = await buyerSession(a.url, 'cat@nodes.test', 'Cat');
    const onB = await viewer(b, cat);
    const closed = new Promise<number>((resolve) => onB.socket.once('close', resolve));
    expect((await postJson(`${a.url}/api/auth/signout`, {}, cat)).status).toBe(200);
    expect(await closed).toBe(4001);

    const dan = await buyerSession(b.url, 'dan@nodes.test', 'Dan');
    const danOnB = await viewer(b, dan);
    const sent = (await danOnB.request('chatSend', { showId, text: 'hello from b' })).message;
    expect((await postJson(`${a.url}/api/shows/${showId}/chat/bans`, { userId: sent.user.id, reason: 'spam' }, admin)).status).toBe(201);
    expect(await danOnB.call('chatSend', { showId, text: 'still here?' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('holds slow mode and the word list set on one node for senders on the other', async () => {
    const put = (path: string, body: unknown) =>
      fetch(`${a.url}/api/shows/${showId}/chat/${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify(body) });
    const eve = await buyerSession(a.url, 'eve@nodes.test', 'Eve');
    const [onA, onB] = [await viewer(a, eve), await viewer(b, eve)];
    expect((await put('slow-mode', { seconds: 60 })).status).toBe(200);
    await onA.request('chatSend', { showId, text: 'first' });
    expect(await onB.call('chatSend', { showId, text: 'second, on the other node' })).toMatchObject({ ok: false, error: { code: 'rate_limited', params: { reason: 'slow_mode' } } });
    expect((await put('slow-mode', { seconds: 0 })).status).toBe(200);
    expect((await put('blocklist', { terms: ['knockoff'] })).status).toBe(200);
    expect(await onB.call('chatSend', { showId, text: 'a knockoff here' })).toMatchObject({ ok: false, error: { code: 'bad_request', params: { reason: 'message_blocked' } } });
    expect((await put('blocklist', { terms: [] })).status).toBe(200);
    expect(await onB.call('chatSend', { showId, text: 'a knockoff here' })).toMatchObject({ ok: true });
  });

  it('tells a viewer on the other node what the host pushes, and ends the room on every node', async () => {
    const onB = await viewer(b);
    const notice = await fetch(`${a.url}/api/shows/${showId}/notice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ text: 'Free shipping tonight' })
    });
    expect(notice.status).toBe(200);
    await expect.poll(() => onB.notifications.some((n) => n.notification === 'overlay' && JSON.stringify(n.data).includes('Free shipping tonight'))).toBe(true);
    expect((await postJson(`${a.url}/api/shows/${showId}/end`, {}, admin)).status).toBe(200);
    await expect.poll(() => onB.notifications.some((n) => n.notification === 'showStatus' && (n.data as { status: string }).status === 'ended')).toBe(true);
    await expect.poll(() => b.rooms.find(showId)).toBeUndefined();
  });

  it('runs a lot on one node, takes bids from both, and moves it to the other node when its owner leaves', async () => {
    const auctionShow = (await liveShow(a.url, admin, 'Two-node auction')).id;
    const join = async (node: RunningApp, cookie: string) => {
      const c = await TestWsClient.connect(`${node.url.replace('http', 'ws')}/ws`, { cookie });
      clients.push(c);
      await c.request('join', { showId: auctionShow, role: 'viewer' });
      return c;
    };
    const [ann, ben] = [await join(a, await buyerSession(a.url, 'ann-bids@nodes.test', 'Ann')), await join(b, await buyerSession(b.url, 'ben-bids@nodes.test', 'Ben'))];
    const lot = (await postJson(`${b.url}/api/shows/${auctionShow}/lots`, { title: 'Clock', startingPrice: 100, durationSeconds: 60 }, admin)).json.lot;
    expect((await postJson(`${b.url}/api/lots/${lot.id}/start`, {}, admin)).json.lot).toMatchObject({ status: 'live' });
    const leases = new Redis(redis.url);
    const ownerNow = () => leases.get(`hawker:owner:${auctionShow}`);
    const owner = await ownerNow();
    expect([a.node, b.node]).toContain(owner);
    const acknowledged: number[] = [];
    for (let i = 0; i < 6; i++) acknowledged.push((await (i % 2 ? ben : ann).request('bid', { lotId: lot.id })).seq);
    const seqs = (c: TestWsClient) => c.notifications.filter((n) => n.notification === 'auctionEvents').flatMap((n) => (n.data as { events: { seq: number }[] }).events.map((e) => e.seq));
    // Both nodes' viewers get every event once, in one order: 1 (started) to the last bid.
    const all = Array.from({ length: Math.max(...acknowledged) }, (_, i) => i + 1);
    await expect.poll(() => seqs(ann)).toEqual(all);
    await expect.poll(() => seqs(ben)).toEqual(all);
    // Either node's lot list tells the running lot as it stands, whichever node runs it.
    for (const node of [a, b]) expect((await getJson(`${node.url}/api/shows/${auctionShow}/lots`)).json.lots[0]).toMatchObject({ status: 'live', bidCount: 6 });

    // The owner leaves; the other node takes the lot from its log, with a counter-bid window.
    const [leaving, staying, bidder] = owner === a.node ? [a, b, ben] : [b, a, ann];
    await leaving.close();
    await expect.poll(ownerNow, { timeout: 10_000 }).toBe(staying.node);
    leases.disconnect();
    const after = await bidder.request('bid', { lotId: lot.id });
    expect(after.seq).toBeGreaterThan(Math.max(...acknowledged));
    const history = (await bidder.request('lotEvents', { lotId: lot.id, afterSeq: 0 })).events as { type: string; seq: number }[];
    expect(history.map((e) => e.seq)).toEqual(expect.arrayContaining([...acknowledged, after.seq]));
    expect(history.some((e) => e.type === 'resumed')).toBe(true);
  });
});
