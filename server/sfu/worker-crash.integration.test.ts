import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';

describe('surviving a mediasoup worker crash', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig({ DEMO_SHOW: 'true', MEDIASOUP_WORKERS: '2' }), { webHandler: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('replaces the worker, tells viewers to rejoin, and the demo show publishes again', async () => {
    const demo = app.shows.findDemo()!;
    const viewer = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`);
    const joined = await viewer.request('join', { showId: demo.id, role: 'viewer' });
    expect(joined.producerCount).toBe(2);
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
    viewer.close();
  });
});
