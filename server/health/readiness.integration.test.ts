import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthDto } from '#shared/health.ts';
import { startApp, type RunningApp } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { WorkerPool } from '../sfu/worker-pool.ts';
import { testConfig } from '../testing/test-config.ts';
import { readiness } from './readiness.ts';

const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('/healthz is a readiness check', () => {
  let app: RunningApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('answers 200 with the version, the Node running it and the live media workers', async () => {
    app = await startApp(testConfig({ MEDIASOUP_WORKERS: '2' }), { webHandler: false });
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as HealthDto;
    expect(body).toEqual({ ok: true, version: pkg.version, node: process.version, workers: 2, auctionLotsSetAside: 0, failing: [] });
    expect(Number(body.node.slice(1).split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('answers 503 and names FFmpeg when the encoder it needs cannot be started', async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'true', FFMPEG_PATH: '/nonexistent/ffmpeg' }), { webHandler: false });
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    expect((await res.json()) as HealthDto).toMatchObject({ ok: false, failing: ['ffmpeg'] });
  });

  it('is not ready without a database that answers or a live mediasoup worker', async () => {
    const db = openDatabase(':memory:');
    const pool = await WorkerPool.create(1);
    const deps = { database: new SqliteRepo(db), pool, ffmpegPath: 'ffmpeg', auctionLotsSetAside: () => 0 };
    expect(await readiness(deps)).toMatchObject({ ok: true, workers: 1, failing: [] });
    pool.close();
    db.$client.close();
    expect(await readiness(deps)).toMatchObject({ ok: false, workers: 0, failing: ['database', 'media_workers'] });
  });

  it('reports a database that does not answer within a second as failing instead of waiting for it', async () => {
    const pool = await WorkerPool.create(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const health = readiness({ database: { ping: () => new Promise(() => {}) }, pool, ffmpegPath: null, auctionLotsSetAside: () => 0 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(await health).toMatchObject({ ok: false, failing: ['database'] });
    } finally {
      vi.useRealTimers();
      pool.close();
    }
  });
});
