import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { childPids } from '../testing/child-processes.ts';
import { producerPacketsDuring } from '../testing/media-flow.ts';

describe('the demo show after its source FFmpeg dies', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig({ DEMO_SHOW: 'true', HLS_DIR: `/tmp/hawker-test-hls-${process.pid}` }), { webHandler: false });
  });
  afterAll(async () => {
    await app.close();
  });

  /** LL-HLS parts the show's encoder (a real FFmpeg reading the room's media) made during one second. */
  async function hlsPartsInOneSecond(showId: string): Promise<number> {
    const parts = () => app.hls.stream(showId)?.renditions[0]?.playlist.liveState().nextPartSeq ?? 0;
    const before = parts();
    await new Promise((r) => setTimeout(r, 1000));
    return parts() - before;
  }

  it('carries the restarted source to viewers and to the LL-HLS encoder again', async () => {
    const demo = (await app.shows.findDemo())!;
    await expect.poll(() => hlsPartsInOneSecond(demo.id), { timeout: 20_000 }).toBeGreaterThan(2);
    const [first] = childPids(process.pid, 'testsrc2');
    expect(first).toBeDefined();

    process.kill(first!, 'SIGKILL');
    await expect.poll(() => childPids(process.pid, 'testsrc2').some((pid) => pid !== first), { timeout: 5000 }).toBe(true);

    // The restarted source sends from new ports and starts a new RTP timeline; both must reach consumers.
    await expect.poll(() => producerPacketsDuring(app, demo.id), { timeout: 5000 }).toBeGreaterThan(10);
    await expect.poll(() => hlsPartsInOneSecond(demo.id), { timeout: 8000 }).toBeGreaterThan(2);
  });
});
