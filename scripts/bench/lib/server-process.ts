import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processTree, TickTally, TICKS_PER_SECOND } from './process-cpu.ts';

export interface ServerHandle {
  url: string;
  /** The server's SQLite file (WAL), for benchmarks that seed many accounts directly. */
  databasePath: string;
  process: ChildProcess;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

/**
 * Starts the real server (as `npm start` does, minus setup) on a fresh database in a temp dir.
 * `niceness` runs it (and the mediasoup workers and FFmpeg it starts) at that priority; a negative
 * value needs root and is otherwise ignored with a warning.
 */
export async function startServer(env: Record<string, string> = {}, opts: { niceness?: number } = {}): Promise<ServerHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-bench-'));
  const port = 3400 + Math.floor(Math.random() * 500);
  const admin = { email: 'bench-admin@hawker.test', password: 'bench-admin-password' };
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const command = [process.execPath, ...nodeArgs, 'server/index.ts'];
  if (opts.niceness !== undefined) command.unshift('nice', '-n', String(opts.niceness));
  const child = spawn(command[0]!, command.slice(1), {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: path.join(dir, 'hawker.db'),
      UPLOAD_DIR: path.join(dir, 'uploads'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      // Every simulated person signs up and connects from this one address; per-address limits would stop them.
      SIGNUP_LIMIT_PER_HOUR: '1000000',
      MAX_SOCKETS_PER_IP: '1000000',
      // Free ports for viewers' media, so a shop running on this machine does not stop the bench.
      RTC_VIEWER_PORT: '0',
      ...env
    },
    // BENCH_SERVER_LOG=<file> keeps the server's warnings and errors (e.g. encoder restarts) there.
    stdio: ['ignore', process.env.BENCH_SERVER_LOG ? fs.openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore', 'inherit']
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    databasePath: path.join(dir, 'hawker.db'),
    process: child,
    admin,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * CPU (in cores) and RSS of a process tree over a measured interval; `only` narrows
 * the count to children with that command name (e.g. 'ffmpeg').
 */
export function resourceMeter(pid: number, only?: string): { stop(): { cpuCores: number; rssMb: number } } {
  const start = Date.now();
  const tree = () => processTree(pid).filter((p) => !only || commandOf(p) === only);
  const tally = new TickTally(tree());
  let peakRss = 0;
  const sample = () => {
    const pids = tree();
    tally.sample(pids);
    peakRss = Math.max(peakRss, pids.reduce((sum, p) => sum + rssBytes(p), 0));
  };
  sample();
  const timer = setInterval(sample, 500);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (Date.now() - start) / 1000;
      return { cpuCores: tally.ticks / TICKS_PER_SECOND / seconds, rssMb: Math.round(peakRss / 1024 / 1024) };
    }
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Parses `--name value` flags and bare `--name` switches; defaults give each its type (number, string, or boolean for a switch). */
export function numericArgs<T extends Record<string, number | string | boolean>>(defaults: T): T {
  const out: Record<string, number | string | boolean> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]!);
    if (!m) continue;
    const key = m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(key in defaults)) throw new Error(`unknown flag --${m[1]}`);
    if (typeof defaults[key] === 'boolean') {
      out[key] = true;
      continue;
    }
    const raw = argv[++i] ?? '';
    if (typeof defaults[key] === 'string') {
      out[key] = raw;
      continue;
    }
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new Error(`--${m[1]} needs a number`);
    out[key] = v;
  }
  return out as T;
}
