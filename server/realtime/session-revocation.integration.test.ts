import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { SESSION_IDLE_MS } from '../auth/session-cookie.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

const closeCode = (c: TestWsClient) => new Promise<number>((resolve) => c.socket.once('close', (code) => resolve(code)));

describe('an open socket loses the identity its session lost', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-revocation-'));
  const databasePath = path.join(dir, 'db.sqlite');
  let app: RunningApp;
  let wsUrl: string;
  let admin: Actor;
  let showId: string;
  const api = (method: string, route: string, body: unknown, who: Actor) =>
    fetch(`${app.url}/api${route}`, { method, headers: { 'content-type': 'application/json', cookie: who.cookie }, body: JSON.stringify(body) });

  beforeAll(async () => {
    app = await startApp(testConfig({ DATABASE_PATH: databasePath }), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    admin = await actorWithRole(app, 'admin@revocation.test', 'admin');
    showId = (await (await api('POST', '/shows', { title: 'Revocation show', scheduledAt: Date.now() }, admin)).json()).show.id;
    expect((await api('POST', `/shows/${showId}/live`, {}, admin)).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signing out over HTTP ends the session’s open sockets', async () => {
    const buyer = await actorWithRole(app, 'buyer@revocation.test', 'buyer');
    const socket = await TestWsClient.connect(wsUrl, { cookie: buyer.cookie });
    await socket.request('join', { showId, role: 'viewer' });
    expect(await socket.call('chatSend', { showId, text: 'before' })).toMatchObject({ ok: true });
    const closed = closeCode(socket);
    expect((await api('POST', '/auth/signout', {}, buyer)).status).toBe(200);
    expect(await closed).toBe(4001);
    // Reconnecting with the old cookie gives an anonymous socket.
    const again = await TestWsClient.connect(wsUrl, { cookie: buyer.cookie });
    expect(await again.call('chatSend', { showId, text: 'after' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    again.close();
  });

  it('a host demoted by an admin can no longer publish on a socket opened before', async () => {
    const host = await actorWithRole(app, 'host@revocation.test', 'host');
    const ownShow = (await (await api('POST', '/shows', { title: 'Own show', scheduledAt: Date.now() }, host)).json()).show.id;
    const studio = await TestWsClient.connect(wsUrl, { cookie: host.cookie });
    await studio.request('join', { showId: ownShow, role: 'host' });
    await studio.request('createTransport', { direction: 'send' });
    const room = await app.rooms.find(ownShow)!;
    const closed = closeCode(studio);
    expect((await api('PUT', '/users/role', { email: host.user.email, role: 'buyer' }, admin)).status).toBe(200);
    expect(await closed).toBe(4001);
    await expect.poll(() => [...room.peers()].filter((p) => p.role === 'host').length).toBe(0);
    const again = await TestWsClient.connect(wsUrl, { cookie: host.cookie });
    expect(await again.call('join', { showId: ownShow, role: 'host' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    again.close();
  });

  it('a session that expired while its socket was open no longer acts on it', async () => {
    const buyer = await actorWithRole(app, 'idle@revocation.test', 'buyer');
    const socket = await TestWsClient.connect(wsUrl, { cookie: buyer.cookie });
    expect(await socket.call('chatSend', { showId, text: 'still here' })).toMatchObject({ ok: true });
    // Ten idle days pass: the clock moves on and the session's last use is that far back.
    const db = new Database(databasePath);
    db.prepare('UPDATE sessions SET last_verified_at = ? WHERE user_id = ?').run(Date.now() - SESSION_IDLE_MS - 1000, buyer.user.id);
    db.close();
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + SESSION_IDLE_MS);
    try {
      const closed = closeCode(socket);
      expect(await socket.call('chatSend', { showId, text: 'ghost' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(await closed).toBe(4001);
    } finally {
      clock.mockRestore();
    }
  });
});
