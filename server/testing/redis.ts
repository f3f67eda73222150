import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface ScratchRedis {
  /** A connection string for the scratch server, on loopback. */
  url: string;
  /** Kills the server outright, as a crash would; `stop` still cleans up after it. */
  kill: () => void;
  stop: () => Promise<void>;
}

/**
 * A Redis server of Debian's package on a free loopback port, keeping nothing on disk (no RDB, no AOF),
 * with its working folder in a scratch directory that `stop` removes.
 */
export async function startScratchRedis(): Promise<ScratchRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, exited);
  } catch (err) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`redis-server did not start: ${(err as Error).message} ${stderr}`.trim());
  }
  return {
    url,
    kill: () => void child.kill('SIGKILL'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Resolves once the server at `url` answers PING; fails if it exits first or stays silent for 5 s. */
export async function waitForPing(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 100 && !gone; i++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(gone ? 'it exited' : 'no answer within 5 s');
}
