import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { viewerServer } from './worker-pool.ts';

describe('surviving a mediasoup worker crash', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // Viewers' ports fixed (20920 and 20921, apart from other test servers), so a replacement must take its slot's port again.
    app = await startApp(testConfig({ DEMO_SHOW: 'true', MEDIASOUP_WORKERS: '2', RTC_VIEWER_PORT: '20920' }), { webHandler: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('replaces the worker on the same viewers’ port, tells viewers to rejoin, and the demo show publishes again', async () => {
    const demo = (await app.shows.findDemo())!;
    const viewer = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`);
    const joined = await viewer.request('join', { showId: demo.id, role: 'viewer' });
    expect(joined.producerCount).toBe(2);
    const udpPort = async () => {
      const t = await viewer.request('createTransport', { direction: 'recv' });
      return (t.iceCandidates as { protocol: string; port: number }[]).find((c) => c.protocol === 'udp')!.port;
    };
    const portBefore = await udpPort();
    expect([20920, 20921]).toContain(portBefore);
    const room = await app.rooms.find(demo.id)!;
    const deadPid = room.worker.pid;

    process.kill(deadPid, 'SIGKILL');

    await viewer.waitForNotification('mediaReset', 10_000);
    await expect.poll(() => app.pool.workers.map((w) => w.pid).includes(deadPid), { timeout: 10_000 }).toBe(false);
    expect(app.pool.workers).toHaveLength(2);
    // The demo source comes back on a fresh room and a rejoining viewer finds its producers.
    await expect
      .poll(async () => (await viewer.call('join', { showId: demo.id, role: 'viewer' })).ok && (await app.rooms.find(demo.id))?.producerCount, { timeout: 10_000 })
      .toBe(2);
    const again = await viewer.request('join', { showId: demo.id, role: 'viewer' });
    expect(again.producerCount).toBe(2);
    // The demo's room lands on a worker by load; whichever it is, viewers reach it on its slot's port.
    expect([20920, 20921]).toContain(await udpPort());
    const ports = await Promise.all(app.pool.workers.map(async (w) => (await viewerServer(w).dump()).udpSockets.map((s) => s.port)));
    expect(ports).toEqual([[20920], [20921]]);
    viewer.close();
  });
});
