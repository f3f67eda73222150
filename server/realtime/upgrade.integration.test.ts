import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { exchange } from '../testing/raw-ws.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

/** A cookie whose value is not valid percent-encoding. */
const BAD_COOKIE = 'hawker_session=%E0%A4%A';

/** Sends a raw HTTP request and returns the status line of the reply ('' when the socket closed silently). */
async function rawStatus(app: RunningApp, request: string): Promise<string> {
  const u = new URL(app.url);
  const socket = net.connect(Number(u.port), u.hostname);
  const head = await exchange(socket, request);
  socket.destroy();
  return head.split('\r\n')[0]!;
}

const upgradeHeaders = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13';

describe('the ws upgrade and the session cookie under malformed input', () => {
  let app: RunningApp;
  let wsUrl: string;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a malformed upgrade request with 400 and keeps serving', async () => {
    expect(await rawStatus(app, `GET // HTTP/1.1\r\nHost: x\r\n${upgradeHeaders}\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawStatus(app, `GET //ws HTTP/1.1\r\nHost: x\r\n${upgradeHeaders}\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawStatus(app, `GET /elsewhere HTTP/1.1\r\nHost: x\r\n${upgradeHeaders}\r\n\r\n`)).toBe('HTTP/1.1 404 Not Found');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('treats a session cookie that cannot be decoded as signed out, over ws and HTTP', async () => {
    const c = await TestWsClient.connect(wsUrl, { cookie: BAD_COOKIE });
    expect(await c.call('chatSend', { showId: 'any', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    c.close();
    const me = await fetch(`${app.url}/api/me`, { headers: { cookie: BAD_COOKIE } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: null });
    const shows = await fetch(`${app.url}/api/shows`, { headers: { cookie: `other=1; ${BAD_COOKIE}` } });
    expect(shows.status).toBe(200);
  });
});

describe('sockets per address and per account', () => {
  let app: RunningApp;
  let wsUrl: string;
  let buyer: Actor;
  let host: Actor;
  const open: TestWsClient[] = [];
  const connect = async (headers: Record<string, string> = {}) => {
    const c = await TestWsClient.connect(wsUrl, headers);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    app = await startApp(testConfig({ MAX_SOCKETS_PER_IP: '3', MAX_SOCKETS_PER_ACCOUNT: '2' }), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    buyer = await actorWithRole(app, 'buyer@sockets.test', 'buyer');
    host = await actorWithRole(app, 'host@sockets.test', 'host');
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await app.close();
  });

  it('refuses an account’s sockets beyond its cap with 429', async () => {
    const first = await connect({ cookie: buyer.cookie });
    await connect({ cookie: buyer.cookie });
    await expect(TestWsClient.connect(wsUrl, { cookie: buyer.cookie })).rejects.toThrow(/429/);
    // A closed socket gives its place back.
    first.close();
    await expect.poll(async () => {
      try {
        await connect({ cookie: buyer.cookie });
        return true;
      } catch {
        return false;
      }
    }).toBe(true);
  });

  it('refuses an address’s sockets beyond its cap, but not a host’s', async () => {
    // The buyer holds two of this address's three places.
    await connect();
    await expect(TestWsClient.connect(wsUrl)).rejects.toThrow(/429/);
    // Viewers filling the address's budget do not keep the host from their studio.
    await connect({ cookie: host.cookie });
    await connect({ cookie: host.cookie });
    await expect(TestWsClient.connect(wsUrl, { cookie: host.cookie })).rejects.toThrow(/429/);
  });
});
