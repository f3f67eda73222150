import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { childPids } from '../testing/child-processes.ts';
import { producerPacketsDuring } from '../testing/media-flow.ts';

describe('the demo show after its source FFmpeg dies', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig({ DEMO_SHOW: 'true', HLS_ENABLED: 'false' }), { webHandler: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('carries the restarted source’s packets to viewers again', async () => {
    const demo = app.shows.findDemo()!;
    await expect.poll(() => producerPacketsDuring(app, demo.id), { timeout: 10_000 }).toBeGreaterThan(0);
    const [first] = childPids(process.pid, 'testsrc2');
    expect(first).toBeDefined();

    process.kill(first!, 'SIGKILL');
    await expect.poll(() => childPids(process.pid, 'testsrc2').some((pid) => pid !== first), { timeout: 5000 }).toBe(true);

    // The restarted source sends from new ports; its packets must still reach the room's producers.
    await expect.poll(() => producerPacketsDuring(app, demo.id), { timeout: 5000 }).toBeGreaterThan(10);
  });
});
