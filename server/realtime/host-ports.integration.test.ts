import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

type Candidate = { port: number; protocol: string };

describe('media ports', () => {
  let app: RunningApp;
  let wsUrl: string;
  let host: Actor;
  let showId: string;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    // A broadcast range of two ports and a viewers' port, outside what other servers on this machine use.
    app = await startApp(testConfig({ RTC_VIEWER_PORT: '20910', RTC_MIN_PORT: '20900', RTC_MAX_PORT: '20901', MAX_SOCKETS_PER_IP: '100' }), { webHandler: false });
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

  it('seats every viewer on the worker’s one WebRtcServer port, leaving the range to the host', async () => {
    const ports = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const viewer = await TestWsClient.connect(wsUrl);
      clients.push(viewer);
      await viewer.request('join', { showId, role: 'viewer' });
      const transport = await viewer.request('createTransport', { direction: 'recv' });
      for (const c of transport.iceCandidates as Candidate[]) ports.add(`${c.protocol}:${c.port}`);
    }
    expect([...ports].sort()).toEqual(['tcp:20910', 'udp:20910']);

    const studio = await TestWsClient.connect(wsUrl, { cookie: host.cookie });
    clients.push(studio);
    await studio.request('join', { showId, role: 'host' });
    const send = await studio.request('createTransport', { direction: 'send' });
    for (const c of send.iceCandidates as Candidate[]) expect([20900, 20901]).toContain(c.port);
  });
});
