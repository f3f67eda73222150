/**
 * `npm run cluster`: a whole cluster on this machine from Debian's packages. PostgreSQL and Redis keep
 * their data under data/cluster between runs; three Hawker nodes run behind nginx on PORT (3000), and
 * the LL-HLS caching edge in front of that nginx on the next port.
 * Ctrl-C (or SIGTERM) stops every part, nodes first so they drain through nginx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { freePort } from '../../server/testing/free-port.ts';
import { startScratchHlsEdge } from '../../server/testing/hls-edge.ts';
import { startScratchNginx, type ScratchNginx } from '../../server/testing/nginx.ts';
import { givePostgres, runPostgres, startPostgresServer } from '../../server/testing/postgres.ts';
import { waitForPing } from '../../server/testing/redis.ts';
import { untilServing } from '../../server/testing/serving.ts';
import { nodeEnvs } from './node-env.ts';

const NODE_COUNT = 3;
const DATA = path.resolve('data/cluster');
const PG = path.join(DATA, 'pg');
const PG_DATA = path.join(PG, 'data');
const NODE_START_MS = 120_000;
// A node drains for SHUTDOWN_GRACE_SECONDS, then closes its media; past this it is killed.
const NODE_STOP_MS = (Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 10) + 15) * 1000;

interface Child {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

interface Node extends Child {
  url: string;
  env: NodeJS.ProcessEnv;
}

const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const nodes: Node[] = [];
let redis: Child | null = null;
let nginx: ScratchNginx | null = null;
let edge: ScratchNginx | null = null;
let postgresUp = false;
let live = false;
let stopping = false;

function prefixLines(name: string, stream: Readable): void {
  readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
}

/** In a process group of its own, so a terminal's Ctrl-C reaches only the launcher, which stops the parts in order. */
function spawnPart(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(name, child.stdout!);
  prefixLines(name, child.stderr!);
  // A command that cannot be spawned reports 'error' and never 'exit'.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()).once('error', () => resolve()));
  child.once('error', (err) => say(`${name} could not start: ${err.message}`));
  child.once('exit', (code, signal) => {
    if (live && !stopping) say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); the rest keep running`);
  });
  return { name, child, exited };
}

async function startPostgres(): Promise<string> {
  if (!fs.existsSync(path.join(PG_DATA, 'PG_VERSION'))) {
    fs.mkdirSync(PG, { recursive: true });
    givePostgres(PG);
    say('initialising PostgreSQL in data/cluster/pg (first run only)');
    runPostgres('initdb', ['-D', PG_DATA, '-A', 'trust', '-U', 'hawker']);
  }
  // A run that was killed outright left its server up: stop it, so this run starts it on a port it knows.
  if (postgresPid() !== null) runPostgres('pg_ctl', ['-D', PG_DATA, '-m', 'fast', 'stop']);
  const port = await freePort();
  startPostgresServer(PG_DATA, { port, socketDir: PG, logFile: path.join(PG, 'postgres.log') });
  postgresUp = true;
  const admin = new pg.Client({ connectionString: `postgres://hawker@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    if (!(await admin.query("SELECT 1 FROM pg_database WHERE datname = 'hawker'")).rowCount) await admin.query('CREATE DATABASE hawker');
  } finally {
    await admin.end();
  }
  return `postgres://hawker@127.0.0.1:${port}/hawker`;
}

/** The running server's pid, from its pid file; null when it is not running. */
function postgresPid(): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(PG_DATA, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function startRedis(): Promise<string> {
  const dir = path.join(DATA, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  // Redis's default snapshots: heart totals and counters outlive a restart, as the database does.
  redis = spawnPart('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--loglevel', 'warning']);
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, redis.exited);
  return url;
}

async function startNodes(databaseUrl: string, redisUrl: string): Promise<void> {
  const ports = await Promise.all(Array.from({ length: NODE_COUNT }, () => freePort()));
  const envs = nodeEnvs(ports, { databaseUrl, redisUrl, dataDir: DATA }, process.env);
  for (const [i, env] of envs.entries()) {
    nodes.push({ ...spawnPart(`node-${i + 1}`, process.execPath, ['server/index.ts'], env), url: `http://127.0.0.1:${ports[i]}`, env });
    // The first node alone seeds an empty database (admin, demo show); the others start once it serves.
    if (i === 0) await untilServing(nodes[0]!, NODE_START_MS, () => stopping);
  }
  await Promise.all(nodes.slice(1).map((n) => untilServing(n, NODE_START_MS, () => stopping)));
}

async function start(): Promise<void> {
  const databaseUrl = await startPostgres();
  say(`postgres  ${databaseUrl}  pid ${postgresPid()}  data data/cluster/pg`);
  const redisUrl = await startRedis();
  say(`redis     ${redisUrl}  pid ${redis!.child.pid}  data data/cluster/redis`);
  await startNodes(databaseUrl, redisUrl);
  for (const n of nodes) {
    const { RTC_VIEWER_PORT, RTC_MIN_PORT, RTC_MAX_PORT, METRICS_PORT, DEMO_SHOW } = n.env;
    const extras = [`media ${RTC_VIEWER_PORT}+ and ${RTC_MIN_PORT}-${RTC_MAX_PORT}`, METRICS_PORT && `metrics ${METRICS_PORT}`, DEMO_SHOW === 'true' && 'demo show'];
    say(`${n.name}    ${n.url}  pid ${n.child.pid}  ${extras.filter(Boolean).join('  ')}`);
  }
  if (stopping) return;
  nginx = await startScratchNginx({ upstreams: nodes.map((n) => new URL(n.url).host), port: Number(process.env.PORT ?? 3000), onLog: (line) => process.stdout.write(`[nginx] ${line}\n`) });
  say(`nginx     ${nginx.url}  pid ${nginx.pid}`);
  edge = await startScratchHlsEdge({ upstreams: [new URL(nginx.url).host], accessLog: false, port: nginx.port + 1, onLog: (line) => process.stdout.write(`[hls-edge] ${line}\n`) });
  say(`hls edge  ${edge.url}/hls/…  pid ${edge.pid}  caching LL-HLS in front of nginx`);
  live = true;
  say(`Hawker's cluster is live at ${nginx.url}; Ctrl-C stops it`);
}

let started: Promise<void> = Promise.resolve();

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await started.catch(() => {});
  // Nodes first: they send what is pending and close their sockets through nginx, which still carries them.
  await Promise.all(nodes.map(stopNode));
  await edge?.stop();
  await nginx?.stop();
  if (redis) {
    redis.child.kill('SIGTERM');
    await redis.exited;
  }
  try {
    if (postgresUp) runPostgres('pg_ctl', ['-D', PG_DATA, '-m', 'fast', 'stop']);
  } catch (err) {
    say(`PostgreSQL did not stop: ${(err as Error).message}`);
    code = 1;
  }
  say('stopped');
  process.exit(code);
}

async function stopNode(node: Child): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    say(`${node.name} did not stop in time; killing it and its media processes`);
    try {
      process.kill(-node.child.pid!, 'SIGKILL');
    } catch {
      // It ended just now.
    }
  }, NODE_STOP_MS);
  await node.exited;
  clearTimeout(timer);
}

// SIGHUP: the terminal closed; the parts, in groups of their own, would not hear it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
started = start();
started.catch((err: Error) => {
  if (!stopping) say(`could not start: ${err.message}`);
  void stopAll(1);
});
