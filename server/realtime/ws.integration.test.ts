import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { MAX_WS_MESSAGE_BYTES } from '#shared/protocol.ts';

/** Signs in over HTTP and returns the session cookie. */
async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password })
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('realtime endpoint and API over a real server', () => {
  let app: RunningApp;
  let wsUrl: string;
  let adminCookie: string;
  let buyerCookie: string;
  let showId: string;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    adminCookie = await signIn(app.url, 'admin@hawker.local', 'admin-password-for-tests');
    const signup = await fetch(`${app.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'buyer@x.test', password: 'buyer-password-1', displayName: 'Buyer' })
    });
    expect(signup.status).toBe(201);
    buyerCookie = signup.headers.get('set-cookie')!.split(';')[0]!;
    const created = await fetch(`${app.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: adminCookie },
      body: JSON.stringify({ title: 'Integration show', scheduledAt: Date.now() })
    });
    showId = (await created.json()).show.id;
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists shows by status in the documented shape', async () => {
    const res = await fetch(`${app.url}/api/shows?status=scheduled`);
    const body = await res.json();
    expect(body.shows.map((s: { id: string }) => s.id)).toContain(showId);
    expect(body.shows[0]).toMatchObject({ id: expect.any(String), title: expect.any(String), status: 'scheduled' });
    expect((await fetch(`${app.url}/api/shows?status=bogus`)).status).toBe(400);
  });

  it('answers bad HTTP input with clear errors', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: adminCookie, ...headers }, body });
    const malformed = await post('/api/shows', '{"title":');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('bad_request');
    const huge = await post('/api/shows', JSON.stringify({ title: 'x', description: 'y'.repeat(100_000), scheduledAt: 1 }));
    expect(huge.status).toBe(413);
    const crossSite = await post('/api/shows', JSON.stringify({ title: 'x', scheduledAt: 1 }), { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const asBuyer = await post('/api/shows', JSON.stringify({ title: 'x', scheduledAt: 1 }), { cookie: buyerCookie });
    expect(asBuyer.status).toBe(403);
    const buyerGoLive = await post(`/api/shows/${showId}/live`, '{}', { cookie: buyerCookie });
    expect(buyerGoLive.status).toBe(403);
    const expired = await post(`/api/shows/${showId}/live`, '{}', { cookie: 'hawker_session=abc.def' });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toMatch(/sign in/i);
  });

  it('rate-limits sign-in attempts for an account', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) {
      last = (await fetch(`${app.url}/api/auth/signin`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'victim@x.test', password: 'guess' + i })
      })).status;
    }
    expect(last).toBe(429);
  });

  it('refuses ws upgrades from foreign origins', async () => {
    await expect(TestWsClient.connect(wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers malformed, oversized and unknown messages with errors and keeps serving', async () => {
    const c = await TestWsClient.connect(wsUrl);
    await c.raw('this is not json');
    expect((await c.waitForNotification('error')).data).toMatchObject({ code: 'bad_request' });
    const unknown = await c.raw(JSON.stringify({ id: 7, method: 'launchRockets', data: {} }), 7);
    expect(unknown).toMatchObject({ id: 7, ok: false, error: { code: 'bad_request' } });
    const big = await c.raw(JSON.stringify({ id: 8, method: 'ping', data: { clientTime: 1, pad: 'x'.repeat(MAX_WS_MESSAGE_BYTES) } }), 8);
    expect(big).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    const invalid = await c.call('join', { showId: '', role: 'viewer' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const pong = await c.request('ping', { clientTime: 123 });
    expect(pong.clientTime).toBe(123);
    expect(Math.abs(pong.serverTime - Date.now())).toBeLessThan(1000);
    c.close();
  });

  it('closes a socket that floods bad messages', async () => {
    const c = await TestWsClient.connect(wsUrl);
    const closed = new Promise<number>((resolve) => c.socket.once('close', (code) => resolve(code)));
    for (let i = 0; i < 40; i++) c.socket.send('{bad');
    expect(await closed).toBe(1008);
  });

  it('lets only the show’s host publish', async () => {
    const anon = await TestWsClient.connect(wsUrl);
    expect(await anon.call('join', { showId, role: 'host' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const buyer = await TestWsClient.connect(wsUrl, { cookie: buyerCookie });
    expect(await buyer.call('join', { showId, role: 'host' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await buyer.request('join', { showId, role: 'viewer' });
    expect(await buyer.call('createTransport', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const expired = await TestWsClient.connect(wsUrl, { cookie: 'hawker_session=zzz.yyy' });
    expect(await expired.call('join', { showId, role: 'host' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await anon.call('join', { showId: 'no-such-show', role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const c of [anon, buyer, expired]) c.close();
  });

  it('closes a peer’s transports when its socket goes, and tells viewers when the show ends', async () => {
    const host = await TestWsClient.connect(wsUrl, { cookie: adminCookie });
    await host.request('join', { showId, role: 'host' });
    const send = await host.request('createTransport', { direction: 'send' });
    const viewer = await TestWsClient.connect(wsUrl);
    await viewer.request('join', { showId, role: 'viewer' });
    const room = await app.rooms.find(showId)!;
    expect(room.peerCount).toBe(2);
    const hostPeer = [...room.peers()].find((p) => p.role === 'host')!;
    const transport = hostPeer.transports.get(send.id)!;
    host.close();
    await expect.poll(() => room.peerCount).toBe(1);
    expect(transport.closed).toBe(true);

    const res = await fetch(`${app.url}/api/shows/${showId}/end`, { method: 'POST', headers: { cookie: adminCookie } });
    expect(res.status).toBe(200);
    const note = await viewer.waitForNotification('showStatus');
    expect(note.data).toEqual({ showId, status: 'ended' });
    expect(room.closed).toBe(true);
    expect(await viewer.call('join', { showId, role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    viewer.close();
  });
});
