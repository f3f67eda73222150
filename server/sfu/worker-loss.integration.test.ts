import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { startApp, type RunningApp } from '../app.ts';
import { AppError } from '../errors.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { producerPacketsDuring } from '../testing/media-flow.ts';
import { WorkerPool } from './worker-pool.ts';

describe('the worker pool while no worker is up', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create(1);
  });
  afterAll(() => pool.close());

  it('answers media_unavailable right away and hands out the replacement once it is up', async () => {
    const dead = pool.workers[0]!;
    const seenWhileDown = new Promise<unknown>((resolve) =>
      dead.on('died', () => {
        try {
          resolve(pool.leastLoaded());
        } catch (err) {
          resolve(err);
        }
      })
    );
    process.kill(dead.pid, 'SIGKILL');
    const err = await seenWhileDown;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('media_unavailable');
    const replacement: types.Worker = await pool.liveWorker();
    expect(replacement.closed).toBe(false);
    expect(replacement.pid).not.toBe(dead.pid);
  });
});

for (const workers of [1, 2]) {
  describe(`a viewer rejoining after all of ${workers} mediasoup worker(s) died`, () => {
    let app: RunningApp;
    let viewer: TestWsClient | null = null;
    beforeAll(async () => {
      app = await startApp(testConfig({ DEMO_SHOW: 'true', HLS_ENABLED: 'false', MEDIASOUP_WORKERS: String(workers) }), { webHandler: false });
    });
    afterEach(() => viewer?.close());
    afterAll(async () => {
      await app.close();
    });

    it('is let in once a replacement is up, and the demo show reaches it again', async () => {
      const demo = (await app.shows.findDemo())!;
      await expect.poll(() => producerPacketsDuring(app, demo.id), { timeout: 10_000 }).toBeGreaterThan(0);
      viewer = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`);
      await viewer.request('join', { showId: demo.id, role: 'viewer' });

      for (const w of app.pool.workers) process.kill(w.pid, 'SIGKILL');
      await viewer.waitForNotification('mediaReset', 10_000);
      // A browser rejoins the moment it hears of the reset, before any replacement worker is up.
      const rejoin = await viewer.call('join', { showId: demo.id, role: 'viewer' });
      expect(rejoin).toMatchObject({ ok: true });

      await expect.poll(() => producerPacketsDuring(app, demo.id), { timeout: 10_000 }).toBeGreaterThan(0);
      const again = await viewer.request('join', { showId: demo.id, role: 'viewer' });
      expect(again.producerCount).toBe(2);
      const transport = await viewer.call('createTransport', { direction: 'recv' });
      expect(transport).toMatchObject({ ok: true });
    });
  });
}
