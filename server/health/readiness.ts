import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { HealthCheck, HealthDto } from '#shared/health.ts';
import type { Repo } from '../db/repo.ts';
import type { WorkerPool } from '../sfu/worker-pool.ts';

const version = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Longer than a healthy database takes to answer, shorter than a load balancer waits for its probe. */
const DATABASE_TIMEOUT_MS = 1000;

export interface ReadinessDeps {
  database: Pick<Repo, 'ping'>;
  pool: WorkerPool;
  /** FFmpeg's command when this node encodes (LL-HLS or the demo source); null when it never runs it. */
  ffmpegPath: string | null;
  auctionLotsSetAside: () => number;
}

/**
 * Whether this node can serve a show now: the database answers, a mediasoup worker is alive
 * and FFmpeg can be started. Cheap enough for a load balancer to ask every few seconds.
 */
export async function readiness(deps: ReadinessDeps): Promise<HealthDto> {
  const failing: HealthCheck[] = [];
  if (!(await databaseAnswers(deps.database))) failing.push('database');
  const workers = deps.pool.workers.filter((w) => !w.closed).length;
  if (workers === 0) failing.push('media_workers');
  if (deps.ffmpegPath !== null && !isExecutable(deps.ffmpegPath)) failing.push('ffmpeg');
  return { ok: failing.length === 0, version, node: process.version, workers, auctionLotsSetAside: deps.auctionLotsSetAside(), failing };
}

/** `GET /healthz`: 200 when ready, 503 when not, the same body either way. */
export function readinessHandler(deps: ReadinessDeps): RequestHandler {
  return async (_req, res) => {
    const health = await readiness(deps);
    res.status(health.ok ? 200 : 503).set('Cache-Control', 'no-store').json(health);
  };
}

/** A hung database counts as failing: the probe must answer while it waits. */
async function databaseAnswers(database: Pick<Repo, 'ping'>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, DATABASE_TIMEOUT_MS, false)));
  const answered = database.ping().then(() => true, () => false);
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A command as spawn() would find it: a path, or a name looked up on PATH. */
function isExecutable(command: string): boolean {
  const candidates = command.includes('/') ? [command] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.some((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
