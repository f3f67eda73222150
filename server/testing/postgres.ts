import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

const BIN = '/usr/lib/postgresql/15/bin';
const asRoot = () => process.getuid?.() === 0;

/** Runs one of the package's programs (`initdb`, `pg_ctl`); as root, as its `postgres` user, since PostgreSQL refuses root. */
export function runPostgres(program: 'initdb' | 'pg_ctl', args: string[]): Buffer {
  const bin = `${BIN}/${program}`;
  return execFileSync(asRoot() ? 'runuser' : bin, asRoot() ? ['-u', 'postgres', '--', bin, ...args] : args, { stdio: 'pipe' });
}

/** Hands a folder to the `postgres` user when running as root, so the server may write in it. */
export function givePostgres(dir: string): void {
  if (asRoot()) execFileSync('chown', ['postgres:postgres', dir]);
}

/** Starts the server on `data` on a loopback port, its Unix socket in `socketDir`; returns once it accepts connections. */
export function startPostgresServer(data: string, opts: { port: number; socketDir: string; logFile: string }): void {
  runPostgres('pg_ctl', ['-D', data, '-o', `-p ${opts.port} -k ${opts.socketDir} -c listen_addresses=127.0.0.1`, '-l', opts.logFile, '-w', 'start']);
}

export interface ScratchPostgres {
  /** A connection string for the scratch database, on loopback. */
  url: string;
  stop: () => void;
}

/**
 * A PostgreSQL server of Debian's package on a free loopback port, with its data in a scratch
 * folder that `stop` removes. PostgreSQL refuses to run as root: as root, it runs as the
 * package's `postgres` user.
 */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-pg-'));
  givePostgres(dir);
  const port = await freePort();
  const data = path.join(dir, 'data');
  runPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'hawker', '--no-sync']);
  // fsync stays on: the guarantees under test include durability.
  startPostgresServer(data, { port, socketDir: dir, logFile: path.join(dir, 'log') });
  let stopped = false;
  return {
    url: `postgres://hawker@127.0.0.1:${port}/postgres`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        runPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}

/** Creates an empty database on the server at `url` (synchronously, with psql) and returns its connection string. */
export function createDatabase(url: string): string {
  const name = `hawker_${randomBytes(6).toString('hex')}`;
  execFileSync(`${BIN}/psql`, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `create database ${name}`, url], { stdio: 'pipe' });
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.href;
}
