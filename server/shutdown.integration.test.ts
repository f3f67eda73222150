import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestWsClient } from './testing/ws-client.ts';
import { getJson } from './testing/http.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-shutdown-'));
const admin = { email: 'admin@hawker.local', password: 'admin-password-for-tests' };

/** Every child process of `pid` (all its threads' children), with its command line. */
function children(pid: number): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) {
      try {
        out.push({ pid: Number(child), cmd: fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ') });
      } catch {
        // Gone while we looked.
      }
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGTERM', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drains: ws clients get 1001 after pending events, an in-flight request completes, and the process exits 0 leaving no media processes', async () => {
    server = spawn(process.execPath, ['server/index.ts'], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_PATH: path.join(dir, 'hawker.db'),
        UPLOAD_DIR: path.join(dir, 'uploads'),
        HLS_DIR: path.join(dir, 'hls'),
        MEDIASOUP_WORKERS: '1',
        DEMO_SHOW: 'true',
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'warn'
      },
      stdio: ['ignore', 'pipe', 'inherit']
    });
    const pid = server.pid!;
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    let stdout = '';
    server.stdout!.on('data', (d) => (stdout += d));
    const base = await until('the server to listen', () => /live at (http:\/\/\S+)/.exec(stdout)?.[1]);

    // The demo show publishes (its source FFmpeg) and is encoded to LL-HLS (a second FFmpeg).
    const media = await until('mediasoup and both FFmpeg processes', () => {
      const c = children(pid);
      const ffmpeg = c.filter((p) => p.cmd.includes('ffmpeg'));
      return c.some((p) => p.cmd.includes('mediasoup-worker')) && ffmpeg.length >= 2 && c.map((p) => p.pid);
    });

    const demo = (await getJson(`${base}/api/shows`)).json.shows[0];
    const viewer = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`);
    await viewer.request('join', { showId: demo.id, role: 'viewer' });
    const closed = new Promise<number>((resolve) => viewer.socket.once('close', (code) => resolve(code)));
    await viewer.request('heart', { showId: demo.id });

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify(admin);
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode!));
      });
      req.once('error', reject);
      req.write(body.slice(0, 10));
      closed.then(() => req.end(body.slice(10)));
    });
    await new Promise((r) => setTimeout(r, 100));

    server.kill('SIGTERM');
    expect(await closed).toBe(1001);
    // The heart tapped just before the signal was flushed to the room, not dropped.
    expect(viewer.notifications.some((n) => n.notification === 'hearts')).toBe(true);
    expect(await answered).toBe(200);
    expect(await exited).toBe(0);
    await until('media processes to be gone', () => media.every((p) => !alive(p)), 2000);
  }, 90_000);
});
