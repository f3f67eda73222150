import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

describe('media ports when viewers take every one they can', () => {
  let app: RunningApp;
  let wsUrl: string;
  let host: Actor;
  let showId: string;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    // A tiny port range, outside the range other servers on this machine use.
    app = await startApp(testConfig({ RTC_MIN_PORT: '39900', RTC_MAX_PORT: '39919', MAX_SOCKETS_PER_IP: '100' }), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    host = await actorWithRole(app, 'host@ports.test', 'host');
    const res = await fetch(`${app.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: host.cookie },
      body: JSON.stringify({ title: 'Crowded show', scheduledAt: Date.now() })
    });
    showId = (await res.json()).show.id;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
  });

  it('sends viewers beyond the ports to LL-HLS and still lets the host publish', async () => {
    let refused: unknown = null;
    for (let i = 0; i < 30 && !refused; i++) {
      const viewer = await TestWsClient.connect(wsUrl);
      clients.push(viewer);
      await viewer.request('join', { showId, role: 'viewer' });
      const reply = await viewer.call('createTransport', { direction: 'recv' });
      if (!reply.ok) refused = reply;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'at_capacity' } });
    const studio = await TestWsClient.connect(wsUrl, { cookie: host.cookie });
    clients.push(studio);
    await studio.request('join', { showId, role: 'host' });
    expect(await studio.call('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
  });
});
