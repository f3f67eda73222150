import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nginxConfig, type NginxProcess } from '../cluster/nginx-config.ts';
import { freePort } from './free-port.ts';

export interface ScratchNginx {
  url: string;
  port: number;
  pid: number;
  /** Its config, pid and temporary files. */
  dir: string;
  /** Stops nginx (its workers with it) and removes its folder. */
  stop: () => Promise<void>;
}

/**
 * Debian's nginx on a loopback port, load balancing over `upstreams` (`host:port` each) with the
 * config of `nginxConfig`; see `runScratchNginx`.
 */
export function startScratchNginx(opts: { upstreams: string[]; backups?: string[]; port?: number; onLog?: (line: string) => void }): Promise<ScratchNginx> {
  return runScratchNginx((place) => nginxConfig({ ...place, upstreams: opts.upstreams, backups: opts.backups }), opts);
}

/**
 * Where a scratch nginx runs, for the config it is given: `127.0.0.1:<port>`, its scratch folder as the
 * prefix (config, pid, temporary and other files), and `www-data` as the workers' account when running as root.
 */
export interface ScratchPlace extends NginxProcess {
  listen: string;
}

/**
 * Debian's nginx on a loopback port with the config `configFor` writes for it; its config, pid and
 * temporary files live in a scratch folder that `stop` removes. As root its workers run as
 * `www-data`, as Debian's own nginx does. Error lines go to `onLog`.
 */
export async function runScratchNginx(configFor: (place: ScratchPlace) => string, opts: { port?: number; onLog?: (line: string) => void }): Promise<ScratchNginx> {
  const port = opts.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-nginx-'));
  const asRoot = process.getuid?.() === 0;
  // The workers (www-data) write request bodies and buffered responses under it.
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, configFor({ listen: `127.0.0.1:${port}`, prefix: dir, user: asRoot ? 'www-data' : undefined }));
  // A process group of its own: a terminal's Ctrl-C goes to its owner, which stops it when its turn comes.
  const child = spawn('nginx', ['-p', dir, '-c', file, '-e', 'stderr'], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const line of d.split('\n')) if (line) opts.onLog?.(line);
  });
  let spawnError = '';
  // A command that cannot be spawned reports 'error' and never 'exit'.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()).once('error', (err) => ((spawnError = err.message), resolve())));
  const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await waitForPidFile(path.join(dir, 'nginx.pid'), child.pid!, exited);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    cleanUp();
    throw new Error(`nginx did not start: ${spawnError || (err as Error).message} ${stderr}`.trim());
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dir,
    stop: async () => {
      // SIGTERM is nginx's fast shutdown: open ws connections are cut rather than waited for.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      cleanUp();
    }
  };
}

/** nginx writes its pid file once its sockets are bound, so a port taken by another server fails here. */
async function waitForPidFile(file: string, pid: number, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 100 && !gone; i++) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === String(pid)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(gone ? 'it exited' : 'no pid file within 5 s');
}
