import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { nodeEnvs } from '../../scripts/cluster/node-env.ts';
import { freePort } from './free-port.ts';
import { startScratchNginx, type ScratchNginx } from './nginx.ts';
import { startScratchPostgres, type ScratchPostgres } from './postgres.ts';
import { startScratchRedis, type ScratchRedis } from './redis.ts';
import { untilServing, type NodeProcess } from './serving.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE_START_MS = 60_000;

/** What every node runs with, on top of the cluster's own settings from `nodeEnvs`. */
const TEST_ENV = {
  // The password adminSession (testing/http.ts) signs in with.
  ADMIN_PASSWORD: 'admin-password-for-tests',
  DEMO_SHOW: 'false',
  HLS_ENABLED: 'false',
  // A node names its id at info when it starts serving; tests map a show's owner to its process with it.
  LOG_LEVEL: 'info',
  MEDIASOUP_WORKERS: '1',
  RTC_VIEWER_PORT: '0',
  PAYMENT_PROVIDER: 'test',
  // Every test client comes from 127.0.0.1: per-address limits would count the whole file as one visitor.
  SIGNUP_LIMIT_PER_HOUR: '1000',
  MAX_SOCKETS_PER_IP: '500',
  // As scripts/node.sh does: a third less CPU to start each node.
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(ROOT, 'node_modules/.cache/node-compile')
};

export interface TestNode {
  name: string;
  url: string;
  pid: number;
  /** Signals the node's process alone, as a crash or an operator would. */
  kill: (signal: NodeJS.Signals) => void;
  exited: Promise<void>;
  /** Everything the node wrote so far, a line each. */
  output: () => string[];
}

export interface TestCluster {
  /** nginx in front of the nodes. */
  url: string;
  nodes: TestNode[];
  databaseUrl: string;
  redisUrl: string;
  /** What every part logged so far, a line each, in arrival order. */
  log: readonly string[];
  /** Writes the log from line `from` on to stderr: for a failed test. */
  printLogs: (from?: number) => void;
  /** Kills every part and removes every scratch folder; safe to call twice or after a failed start. */
  stop: (opts?: { printLogs?: boolean }) => Promise<void>;
}

/**
 * A whole cluster on loopback: scratch PostgreSQL and Redis, `nodes` processes of server/index.ts (the
 * built web app included) with the environment `npm run cluster` gives them, and nginx in front. Each
 * node runs in a process group of its own, killed whole on stop, and on this process's exit if a test
 * run ends without stopping it. Nodes' output is kept, not shown, until asked for. `env` overrides
 * what every node runs with (a benchmark's limits).
 */
export async function startTestCluster({ nodes: count = 3, env: overrides = {} }: { nodes?: number; env?: Record<string, string> } = {}): Promise<TestCluster> {
  if (!fs.existsSync(path.join(ROOT, 'build/handler.js'))) {
    throw new Error('The web app is not built (build/handler.js): run `npm run build` (`npm test` does) before the cluster tests.');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-cluster-'));
  const lines: string[] = [];
  const nodes: (TestNode & NodeProcess)[] = [];
  let postgres: ScratchPostgres | undefined;
  let redis: ScratchRedis | undefined;
  let nginx: ScratchNginx | undefined;

  const printLogs = (from = 0) => void process.stderr.write(`--- cluster log ---\n${lines.slice(from).join('\n')}\n--- end of cluster log ---\n`);
  /** Synchronous, so it also runs from an 'exit' listener. */
  const killAll = () => {
    for (const n of nodes) killGroup(n.pid);
    if (nginx) killGroup(nginx.pid);
    redis?.kill();
    postgres?.stop();
    for (const d of [dir, nginx?.dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  };
  process.once('exit', killAll);
  let stopping: Promise<void> | null = null;
  const stop = (opts: { printLogs?: boolean } = {}) =>
    (stopping ??= (async () => {
      if (opts.printLogs) printLogs();
      process.off('exit', killAll);
      for (const n of nodes) killGroup(n.pid);
      await Promise.all(nodes.map((n) => n.exited));
      await nginx?.stop();
      await redis?.stop();
      postgres?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    })());

  try {
    redis = await startScratchRedis();
    postgres = await startScratchPostgres();
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const envs = nodeEnvs(ports, { databaseUrl: postgres.url, redisUrl: redis.url, dataDir: dir }, { ...process.env, ...TEST_ENV, ...overrides });
    // All at once: nodes take turns migrating and seeding on PostgreSQL's advisory locks.
    for (const [i, env] of envs.entries()) nodes.push(spawnNode(`node-${i + 1}`, `http://127.0.0.1:${ports[i]}`, env, lines));
    await Promise.all(nodes.map((n) => untilServing(n, NODE_START_MS)));
    nginx = await startScratchNginx({ upstreams: ports.map((p) => `127.0.0.1:${p}`), onLog: (line) => lines.push(`[nginx] ${line}`) });
  } catch (err) {
    await stop({ printLogs: true });
    throw err;
  }
  return { url: nginx.url, nodes, databaseUrl: postgres.url, redisUrl: redis.url, log: lines, printLogs, stop };
}

function spawnNode(name: string, url: string, env: NodeJS.ProcessEnv, lines: string[]): TestNode & NodeProcess {
  const child = spawn(process.execPath, ['server/index.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const own: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      own.push(line);
      lines.push(`[${name}] ${line}`);
    });
  }
  // A command that cannot be spawned reports 'error' and never 'exit'.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()).once('error', () => resolve()));
  child.once('exit', (code, signal) => lines.push(`[${name}] exited (${signal ?? `code ${code}`})`));
  return { name, url, child, pid: child.pid!, exited, output: () => own, kill: (signal) => void child.kill(signal) };
}

/** The node and what it started (mediasoup workers): a node killed alone may leave them behind. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
