/**
 * Warm start: `npm start` as a whole process (setup's checks, then the server) until `/healthz`
 * answers 200, on a scratch database and a free loopback port. "Warm" means setup has nothing to
 * do (dependencies, mediasoup's worker and the web build in place): one unmeasured start makes sure.
 * Setup's checks and the server's own boot are also timed alone, to show which part dominates.
 *   npm run bench:start -- --runs 5
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numericArgs, percentile } from './lib/server-process.ts';
import { freePort } from '../../server/testing/free-port.ts';

const args = numericArgs({ runs: 5 });
const root = path.resolve(import.meta.dirname, '../..');
const POLL_MS = 20;
const GIVE_UP_MS = 120_000;


async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

/** Starts `command` in its own process group, times it to a ready /healthz, then stops the group. */
async function timeToReady(command: string[]): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: path.join(dir, 'hawker.db'), UPLOAD_DIR: path.join(dir, 'uploads'), LOG_LEVEL: 'warn' }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (!(await healthy(`http://127.0.0.1:${port}/healthz`))) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode} before it was ready`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`${command.join(' ')} was not ready within ${GIVE_UP_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return Math.round(performance.now() - started);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL'); // FFmpeg or a worker the server left behind
    } catch {
      /* the group is gone */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs setup's checks alone (they end before the server starts). */
function timeSetup(): Promise<number> {
  const started = performance.now();
  const child = spawn('bash', ['scripts/setup/setup.sh', 'run'], { cwd: root, stdio: 'ignore' });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(Math.round(performance.now() - started)) : reject(new Error(`setup exited with ${code}`))))
  );
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), max: sorted.at(-1)! };
};

async function main(): Promise<void> {
  console.log(`start bench: npm start to a ready /healthz, ${args.runs} warm runs`);
  console.log(`unmeasured first start (setup finishes anything missing): ${await timeToReady(['npm', 'start'])} ms`);
  const whole: number[] = [];
  const setup: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < args.runs; i++) {
    whole.push(await timeToReady(['npm', 'start']));
    setup.push(await timeSetup());
    server.push(await timeToReady([process.execPath, 'server/index.ts']));
    console.log(`run ${i + 1}: npm start ${whole[i]} ms; setup's checks alone ${setup[i]} ms; the server alone ${server[i]} ms`);
  }
  const w = summary(whole);
  const s = summary(setup);
  const b = summary(server);
  console.log(`warm npm start to ready: p50 ${w.p50} ms, max ${w.max} ms (goal < 3000 ms)`);
  console.log(`of which setup's checks p50 ${s.p50} ms, the server's boot p50 ${b.p50} ms; the rest is npm and bash starting`);
  console.log(JSON.stringify({ runs: args.runs, warm_p50_ms: w.p50, warm_max_ms: w.max, setup_p50_ms: s.p50, server_p50_ms: b.p50, warm_samples_ms: whole }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
