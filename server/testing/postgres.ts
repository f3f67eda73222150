import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

const BIN = '/usr/lib/postgresql/15/bin';

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
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (bin: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : bin, asRoot ? ['-u', 'postgres', '--', bin, ...args] : args, { stdio: 'pipe' });
  const port = await freePort();
  const data = path.join(dir, 'data');
  run(`${BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'hawker', '--no-sync']);
  // fsync stays on: the guarantees under test include durability.
  run(`${BIN}/pg_ctl`, ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', path.join(dir, 'log'), '-w', 'start']);
  let stopped = false;
  return {
    url: `postgres://hawker@127.0.0.1:${port}/postgres`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run(`${BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}
