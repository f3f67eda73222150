import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import type { ChatMessageDto } from '#shared/chat.ts';

describe('chat, hearts and moderation over a real server', () => {
  let app: RunningApp;
  let ws: string;
  let admin: string;
  let showId: string;
  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    ws = `${app.url.replace('http', 'ws')}/ws`;
    admin = await adminSession(app.url);
    showId = (await liveShow(app.url, admin, 'Chat show')).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const client = async (cookie?: string) => {
    const c = await TestWsClient.connect(ws, cookie ? { cookie } : {});
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };

  it('delivers messages to everyone with badges and replies, and keeps history for late joiners', async () => {
    const ann = await client(await buyerSession(app.url, 'ann@chat.test', 'Ann'));
    const host = await client(admin);
    const first = (await ann.request('chatSend', { showId, text: 'Is the jacket true to size?' })).message;
    const answer = (await host.request('chatSend', { showId, text: 'Yes, runs normal.', replyTo: first.id })).message;
    expect(answer.user.badge).toBe('host');
    expect(answer.replyTo).toMatchObject({ id: first.id, displayName: 'Ann' });
    await expect.poll(() => ann.notifications.filter((n) => n.notification === 'chat').flatMap((n) => (n.data as { messages: ChatMessageDto[] }).messages).map((m) => m.id)).toContain(answer.id);
    const late = await client();
    expect((await late.request('chatHistory', { showId })).messages.map((m) => m.text)).toEqual(['Is the jacket true to size?', 'Yes, runs normal.']);
    for (const c of [ann, host, late]) c.close();
  });

  it('rejects oversized, empty, filtered and anonymous messages; stores markup as plain text', async () => {
    const ben = await client(await buyerSession(app.url, 'ben@chat.test', 'Ben'));
    expect(await ben.call('chatSend', { showId, text: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await ben.call('chatSend', { showId, text: '   ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await ben.call('chatSend', { showId, text: 'you f u c k i n g idiot' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not allowed/) } });
    const xss = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    expect((await ben.request('chatSend', { showId, text: xss })).message.text).toBe(xss);
    const anon = await client();
    expect(await anon.call('chatSend', { showId, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    for (const c of [ben, anon]) c.close();
  });

  it('rate-limits floods and enforces slow mode set by a moderator', async () => {
    const cat = await client(await buyerSession(app.url, 'cat@chat.test', 'Cat'));
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await cat.call('chatSend', { showId, text: `message ${i}` }));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const dan = await client(await buyerSession(app.url, 'dan@chat.test', 'Dan'));
    const put = (cookie: string) => fetch(`${app.url}/api/shows/${showId}/chat/slow-mode`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ seconds: 30 }) });
    expect((await put(await buyerSession(app.url, 'dan@chat.test'))).status).toBe(403);
    expect((await put(admin)).status).toBe(200);
    await dan.waitForNotification('chatSettings');
    expect((await dan.call('chatSend', { showId, text: 'one' })).ok).toBe(true);
    expect(await dan.call('chatSend', { showId, text: 'two' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Slow mode/) } });
    await fetch(`${app.url}/api/shows/${showId}/chat/slow-mode`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ seconds: 0 }) });
    for (const c of [cat, dan]) c.close();
  });

  it('moderators delete, time out and ban; non-moderators cannot; every action is logged', async () => {
    const eveCookie = await buyerSession(app.url, 'eve@chat.test', 'Eve');
    const eve = await client(eveCookie);
    const watcher = await client();
    const msg = (await eve.request('chatSend', { showId, text: 'buy from my shop instead' })).message;
    const eveId = msg.user.id;
    expect((await postJson(`${app.url}/api/chat/messages/${msg.id}/report`, { reason: 'spam' }, await buyerSession(app.url, 'fay@chat.test'))).status).toBe(201);
    expect((await fetch(`${app.url}/api/chat/messages/${msg.id}`, { method: 'DELETE', headers: { cookie: eveCookie } })).status).toBe(403);
    expect((await postJson(`${app.url}/api/shows/${showId}/chat/bans`, { userId: eveId }, eveCookie)).status).toBe(403);
    expect((await fetch(`${app.url}/api/chat/messages/${msg.id}`, { method: 'DELETE', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ reason: 'spam' }) })).status).toBe(200);
    expect((await watcher.waitForNotification('chatDeleted')).data).toEqual({ messageId: msg.id });
    expect((await postJson(`${app.url}/api/shows/${showId}/chat/timeouts`, { userId: eveId, seconds: 60, reason: 'cool off' }, admin)).status).toBe(201);
    expect(await eve.call('chatSend', { showId, text: 'hello?' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/timed out/), params: { reason: 'timed_out', seconds: expect.any(Number) } }
    });
    expect((await postJson(`${app.url}/api/shows/${showId}/chat/bans`, { userId: eveId, reason: 'repeat spam' }, admin)).status).toBe(201);
    expect(await eve.call('chatSend', { showId, text: 'hello?' })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/banned/), params: { reason: 'banned' } } });
    expect((await postJson(`${app.url}/api/shows/${showId}/moderation-events`, { kind: 'nsfw_frame', score: 0.93, action: 'paused' }, eveCookie)).status).toBe(403);
    expect((await postJson(`${app.url}/api/shows/${showId}/moderation-events`, { kind: 'nsfw_frame', score: 2, action: 'paused' }, admin)).status).toBe(400);
    expect((await postJson(`${app.url}/api/shows/${showId}/moderation-events`, { kind: 'nsfw_frame', score: 0.93, action: 'paused' }, admin)).status).toBe(201);
    const log = (await getJson(`${app.url}/api/shows/${showId}/moderation-log`, admin)).json.entries;
    expect(log.find((e: { action: string }) => e.action === 'nsfw_frame')).toMatchObject({ reason: 'paused at score 0.93' });
    expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['report', 'delete', 'timeout', 'ban', 'filtered']));
    expect(log.find((e: { action: string }) => e.action === 'ban')).toMatchObject({ reason: 'repeat spam', targetUserId: eveId });
    expect((await getJson(`${app.url}/api/shows/${showId}/moderation-log`, eveCookie)).status).toBe(403);
    for (const c of [eve, watcher]) c.close();
  });

  it('hearts are counted and broadcast as bursts, not one message per tap', async () => {
    const tapper = await client();
    const watcher = await client();
    for (let i = 0; i < 8; i++) await tapper.request('heart', { showId });
    const bursts = async () => watcher.notifications.filter((n) => n.notification === 'hearts').map((n) => n.data as { count: number; total: number });
    await expect.poll(async () => (await bursts()).reduce((s, b) => s + b.count, 0)).toBe(8);
    expect((await bursts()).length).toBeLessThan(8);
    // A viewer who arrives afterwards is told the total straight away.
    const late = await client();
    expect((await late.request('chatHistory', { showId })).heartsTotal).toBeGreaterThanOrEqual(8);
    late.close();
    const stats = (await getJson(`${app.url}/api/shows/${showId}/stats`, admin)).json;
    expect(stats.now.hearts).toBeGreaterThanOrEqual(8);
    expect(stats.now.messages).toBeGreaterThan(5);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/hawker_chat_messages_total \d+/);
    expect(metrics).toMatch(/hawker_rooms 1/);
    for (const c of [tapper, watcher]) c.close();
  });
});
