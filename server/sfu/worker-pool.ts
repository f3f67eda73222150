import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';

const log = logger('sfu');

/** How long a caller waits for a replacement worker when none is up, before being told to retry. */
const WORKER_WAIT_MS = 5000;
/** Delays between attempts to start a replacement that failed to start, doubling up to the maximum. */
const RESPAWN_BASE_MS = 250;
const RESPAWN_MAX_MS = 10_000;

/** Where each worker's WebRtcServer listens: worker i on `port + i` (UDP and TCP); port 0 takes any free port. */
export interface ViewerListen {
  ip: string;
  announcedAddress?: string;
  port: number;
}

type WorkerAppData = { webRtcServer?: types.WebRtcServer };

/**
 * The worker's WebRtcServer: viewers' transports share its one UDP and one TCP port, so the
 * number of viewers a worker takes is bounded by its core, not by a port range.
 */
export function viewerServer(worker: types.Worker): types.WebRtcServer {
  const server = (worker.appData as WorkerAppData).webRtcServer;
  if (!server) throw new AppError('media_unavailable', 'No media server is available right now.');
  return server;
}

export interface WorkerPoolEvents extends Record<string, unknown[]> {
  /** A worker died and was replaced; routers on it are gone. */
  workerReplaced: [dead: types.Worker, replacement: types.Worker];
}

/**
 * mediasoup workers, one per core by default. A worker that dies is replaced so
 * the process keeps serving; rooms on it rebuild themselves (see rooms/room-registry.ts).
 */
export class WorkerPool extends TypedEmitter<WorkerPoolEvents> {
  readonly #workers: types.Worker[] = [];
  readonly #load = new Map<types.Worker, number>();
  readonly #listen: ViewerListen;
  #closed = false;

  static async create(count: number, listen: ViewerListen = { ip: '127.0.0.1', port: 0 }): Promise<WorkerPool> {
    const pool = new WorkerPool(listen);
    for (let i = 0; i < count; i++) pool.#workers.push(await pool.#spawn(i));
    log.info({ workers: count, version: mediasoup.version }, 'mediasoup workers started');
    return pool;
  }

  private constructor(listen: ViewerListen) {
    super();
    this.#listen = listen;
  }

  get workers(): readonly types.Worker[] {
    return this.#workers;
  }

  /** The worker with the fewest routers; callers count what they place on it via `retain`/`release`. */
  leastLoaded(): types.Worker {
    let best: types.Worker | undefined;
    for (const w of this.#workers) {
      // A worker that just died is still listed until its replacement is up.
      if (w.closed) continue;
      if (!best || (this.#load.get(w) ?? 0) < (this.#load.get(best) ?? 0)) best = w;
    }
    if (!best) throw new AppError('media_unavailable', 'No media server is available right now.');
    return best;
  }

  /**
   * The least loaded live worker; when every worker has just died (one core, or all at once),
   * waits up to `timeoutMs` for a replacement rather than refusing the rejoins the crash caused.
   */
  async liveWorker(timeoutMs = WORKER_WAIT_MS): Promise<types.Worker> {
    if (this.#workers.some((w) => !w.closed)) return this.leastLoaded();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('workerReplaced', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.on('workerReplaced', done);
    });
    return this.leastLoaded();
  }

  retain(worker: types.Worker): void {
    this.#load.set(worker, (this.#load.get(worker) ?? 0) + 1);
  }

  release(worker: types.Worker): void {
    const n = this.#load.get(worker);
    if (n !== undefined) this.#load.set(worker, Math.max(0, n - 1));
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#workers) w.close();
  }

  /** Starts the worker for slot `index` with its WebRtcServer (a replacement takes the dead worker's port). */
  async #spawn(index: number): Promise<types.Worker> {
    const worker = await mediasoup.createWorker<WorkerAppData>({ logLevel: 'warn' });
    const { ip, announcedAddress, port } = this.#listen;
    const at = port === 0 ? undefined : port + index;
    try {
      worker.appData.webRtcServer = await worker.createWebRtcServer({
        listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, announcedAddress, port: at }))
      });
    } catch (err) {
      worker.close();
      throw new Error(`viewers' media port ${at ?? '(any)'} (RTC_VIEWER_PORT + ${index}) could not be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#load.set(worker, 0);
    worker.on('died', (err) => void this.#replace(worker, err));
    return worker;
  }

  async #replace(dead: types.Worker, err: Error): Promise<void> {
    this.#load.delete(dead);
    log.error({ pid: dead.pid, err: err.message }, 'mediasoup worker died; starting a replacement');
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        const i = this.#workers.indexOf(dead);
        const replacement = await this.#spawn(i >= 0 ? i : this.#workers.length);
        if (this.#closed) return replacement.close();
        if (i >= 0) this.#workers[i] = replacement;
        else this.#workers.push(replacement);
        this.emit('workerReplaced', dead, replacement);
        return;
      } catch (spawnErr) {
        // Keep trying: a pool that gives up on a slot serves every later room from fewer workers, or none.
        const retryInMs = Math.min(RESPAWN_MAX_MS, RESPAWN_BASE_MS * 2 ** attempt);
        log.error({ err: spawnErr, retryInMs }, 'replacement mediasoup worker failed to start');
        await new Promise((r) => setTimeout(r, retryInMs));
      }
    }
  }
}
