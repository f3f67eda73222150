import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { test, expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { childPids, cpuTicks } from '../../server/testing/child-processes.ts';

/**
 * Faults under live viewers of the demo show: one WebRTC and one LL-HLS viewer watch while a
 * mediasoup worker, every worker, the LL-HLS FFmpeg or the demo's source FFmpeg is killed with
 * SIGKILL. After each, both must present new video frames within 5 s, and the WebRTC viewer must be
 * back on WebRTC. Recovery is timed from the kill to the first frame after the stall it caused.
 */

const port = Number(process.env.E2E_PORT ?? 3107);
/** A gap between presented frames longer than this is a stall a viewer notices. */
const STALL_MS = 500;
/** How long each fault is watched: long enough for an LL-HLS buffer to run dry and refill. */
const OBSERVE_MS = 9000;
const RECOVERY_LIMIT_MS = 5000;

interface Recovery {
  /** Kill to the first frame after the stall it caused; 0 when the viewer saw no stall. */
  recoveryMs: number;
  longestStallMs: number;
  framesInLastSecond: number;
}

test.describe.configure({ mode: 'serial' });

test('with one mediasoup worker, viewers ride out its death', async ({ browser }) => {
  test.setTimeout(180_000);
  const server = await startServer(port + 1, { MEDIASOUP_WORKERS: '1' });
  const viewers = await openViewers(browser, server.url).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  try {
    await expectRecovery('the only worker', viewers, () => killAll(childPids(server.pid, 'mediasoup-worker')));
  } finally {
    await viewers.webrtc.context().close();
    await server.stop();
  }
});

test('with two workers, viewers ride out losing one, both, the LL-HLS encoder and the demo source', async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const pid = serverPid(port);
  const viewers = await openViewers(browser, baseURL!);
  await expectRecovery('one of two workers', viewers, async () => killAll([await busiest(childPids(pid, 'mediasoup-worker'))]));
  await expectRecovery('every worker', viewers, () => killAll(childPids(pid, 'mediasoup-worker')));
  await expectRecovery('the LL-HLS FFmpeg', viewers, () => killAll(childPids(pid, 'input.sdp')));
  await expectRecovery('the demo source FFmpeg', viewers, () => killAll(childPids(pid, 'testsrc2')));
});

test('a viewer who asks for real time while live video is full is sent back to LL-HLS', async ({ browser }) => {
  test.setTimeout(180_000);
  // The demo show has two producers: one WebRTC viewer fills the worker.
  const server = await startServer(port + 2, { MEDIASOUP_WORKERS: '1', SFU_MAX_CONSUMERS_PER_WORKER: '2' });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    await context.addInitScript(trackPresentedFrames);
    const demo = await demoShowId(context.request);
    const first = await context.newPage();
    await first.goto(`/room/${demo}`);
    await expect(first.getByTestId('media-mode')).toHaveText(/WebRTC/);
    await expect.poll(() => framesInLastSecond(first), { timeout: 45_000, intervals: [500] }).toBeGreaterThan(10);

    const second = await context.newPage();
    const said: string[] = [];
    second.on('console', (m) => said.push(`${m.type()}: ${m.text()}`));
    second.on('pageerror', (e) => said.push(`pageerror: ${e.message}`));
    await second.goto(`/room/${demo}`);
    await expect(second.getByTestId('media-mode')).toHaveText(/LL-HLS/);
    // Real time is refused by the server (at_capacity): the viewer goes back to LL-HLS and keeps watching.
    await second.getByTestId('switch-mode').click();
    await expect(second.getByTestId('media-mode')).toHaveText(/LL-HLS/);
    await expect(second.getByTestId('media-failed')).toHaveCount(0);
    await expect
      .poll(() => framesInLastSecond(second), { timeout: 45_000, intervals: [500] })
      .toBeGreaterThan(10)
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nthe second viewer: ${await playerState(second)}\nits console:\n${said.join('\n')}`);
      });
  } finally {
    await context.close();
    await server.stop();
  }
});

type Viewers = { webrtc: Page; hls: Page };

async function demoShowId(request: APIRequestContext): Promise<string> {
  const shows = (await (await request.get('/api/shows?status=live')).json()).shows as { id: string; isDemo: boolean }[];
  return shows.find((s) => s.isDemo)!.id;
}

async function openViewers(browser: Browser, base: string): Promise<Viewers> {
  const context = await browser.newContext({ baseURL: base });
  await context.addInitScript(trackPresentedFrames);
  const demo = await demoShowId(context.request);
  const webrtc = await context.newPage();
  await webrtc.goto(`/room/${demo}`);
  const hls = await context.newPage();
  await hls.goto(`/room/${demo}?mode=hls`);
  await expect(webrtc.getByTestId('media-mode')).toHaveText(/WebRTC/);
  for (const page of [webrtc, hls]) {
    await expect.poll(() => framesInLastSecond(page), { timeout: 45_000, intervals: [500] }).toBeGreaterThan(10);
  }
  // Let the LL-HLS player settle at its distance behind live before anything is killed.
  await new Promise((r) => setTimeout(r, 3000));
  return { webrtc, hls };
}

async function expectRecovery(fault: string, viewers: Viewers, kill: () => void | Promise<void>): Promise<void> {
  const pages = Object.entries(viewers);
  const killedAt = await Promise.all(pages.map(([, page]) => page.evaluate(() => performance.now())));
  await kill();
  await new Promise((r) => setTimeout(r, OBSERVE_MS));
  const results = await Promise.all(pages.map(([, page], i) => page.evaluate(analyse, { since: killedAt[i]!, stallMs: STALL_MS })));
  pages.forEach(([mode], i) => {
    const r = results[i]!;
    const outcome = r.recoveryMs === Infinity ? 'did not recover' : `decoding again after ${Math.round(r.recoveryMs)} ms`;
    const line = `${fault}: ${mode} viewer ${outcome} (longest stall ${Math.round(r.longestStallMs)} ms)`;
    test.info().annotations.push({ type: 'recovery', description: line });
    console.log(line);
  });
  pages.forEach(([mode], i) => {
    expect(results[i]!.recoveryMs, `${fault}: ${mode} viewer recovers`).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(results[i]!.framesInLastSecond, `${fault}: ${mode} viewer keeps decoding`).toBeGreaterThan(10);
  });
  // Back on real time, not left on the fallback.
  await expect(viewers.webrtc.getByTestId('media-mode')).toHaveText(/WebRTC/);
}

/**
 * Runs in the page: notes when any <video> presents new frames (decoded frames that reached the
 * screen), sampled every 50 ms; requestVideoFrameCallback is unreliable for WebRTC in headless Chromium.
 */
function trackPresentedFrames(): void {
  const frames: number[] = [];
  (window as unknown as { __frames: number[] }).__frames = frames;
  const seen = new WeakMap<HTMLVideoElement, number>();
  setInterval(() => {
    const now = performance.now();
    for (const v of document.querySelectorAll('video')) {
      const total = v.getVideoPlaybackQuality().totalVideoFrames;
      const last = seen.get(v) ?? 0;
      // A new source starts the count again.
      const presented = total >= last ? total - last : total;
      seen.set(v, total);
      for (let i = 0; i < presented; i++) frames.push(now);
    }
    if (frames.length > 20_000) frames.splice(0, 10_000);
  }, 50);
}

/**
 * Runs in the page: when frames came back after the first stall that followed `since` (a player's
 * buffer may carry it through the fault at first), the longest stall, and whether frames flow now.
 */
function analyse({ since, stallMs }: { since: number; stallMs: number }): Recovery {
  const frames = (window as unknown as { __frames: number[] }).__frames;
  const now = performance.now();
  let prev = since;
  for (const t of frames) if (t <= since) prev = t;
  let resumedAt = 0;
  let longestStallMs = 0;
  for (const t of frames) {
    if (t <= since) continue;
    if (t - prev > stallMs && !resumedAt) resumedAt = t;
    longestStallMs = Math.max(longestStallMs, t - prev);
    prev = t;
  }
  const stalledNow = now - prev > stallMs;
  return {
    recoveryMs: stalledNow && !resumedAt ? Infinity : resumedAt ? resumedAt - since : 0,
    longestStallMs: Math.max(longestStallMs, now - prev),
    framesInLastSecond: frames.filter((t) => t > now - 1000).length
  };
}

/** What a viewer's page shows and its videos hold, for a failure's message. */
function playerState(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify({
      mode: document.querySelector('[data-testid="media-mode"]')?.textContent,
      failed: document.querySelector('[data-testid="media-failed"]')?.textContent ?? null,
      videos: [...document.querySelectorAll('video')].map((v) => ({
        testId: v.dataset.testid,
        readyState: v.readyState,
        networkState: v.networkState,
        paused: v.paused,
        currentTime: v.currentTime,
        buffered: Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]),
        error: v.error?.message ?? null
      }))
    })
  );
}

function framesInLastSecond(page: Page): Promise<number> {
  return page.evaluate(() => {
    const now = performance.now();
    return (window as unknown as { __frames?: number[] }).__frames?.filter((t) => t > now - 1000).length ?? 0;
  });
}

function killAll(pids: number[]): void {
  expect(pids.length, 'a process to kill').toBeGreaterThan(0);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
}

/** The worker carrying the demo show: the one that uses CPU while the show streams. */
async function busiest(pids: number[]): Promise<number> {
  const before = pids.map(cpuTicks);
  await new Promise((r) => setTimeout(r, 1500));
  const used = pids.map((pid, i) => cpuTicks(pid) - before[i]!);
  return pids[used.indexOf(Math.max(...used))]!;
}

/** The pid of the server Playwright started for this run (the one listening on `port`). */
function serverPid(port: number): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      // The node process itself, not the shell that started it.
      if (!argv[0]?.endsWith('node') || !argv.includes('server/index.ts')) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // Gone while we looked.
    }
  }
  throw new Error(`no server on port ${port}`);
}

/** A server of our own (the suite's server runs two workers): fresh database, demo show on. */
async function startServer(port: number, settings: Record<string, string>): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const dir = `/tmp/hawker-faults-${port}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ['server/index.ts'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: `${dir}/hawker.db`,
      UPLOAD_DIR: `${dir}/uploads`,
      HLS_DIR: `${dir}/hls`,
      ADMIN_PASSWORD: 'fault-test-admin-password',
      LOG_LEVEL: 'warn',
      // The suite's server holds its own viewers' ports.
      RTC_VIEWER_PORT: '0',
      ...settings
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await expect.poll(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), { timeout: 60_000 }).toBe(true);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return { url, pid: child.pid!, stop };
}
