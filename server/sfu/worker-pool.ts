import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';

const log = logger('sfu');

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
  #closed = false;

  static async create(count: number): Promise<WorkerPool> {
    const pool = new WorkerPool();
    for (let i = 0; i < count; i++) pool.#workers.push(await pool.#spawn());
    log.info({ workers: count, version: mediasoup.version }, 'mediasoup workers started');
    return pool;
  }

  private constructor() {
    super();
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
    if (!best) throw new AppError('internal', 'No media server is available right now.');
    return best;
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

  async #spawn(): Promise<types.Worker> {
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    this.#load.set(worker, 0);
    worker.on('died', (err) => void this.#replace(worker, err));
    return worker;
  }

  async #replace(dead: types.Worker, err: Error): Promise<void> {
    this.#load.delete(dead);
    if (this.#closed) return;
    log.error({ pid: dead.pid, err: err.message }, 'mediasoup worker died; starting a replacement');
    const replacement = await this.#spawn();
    const i = this.#workers.indexOf(dead);
    if (i >= 0) this.#workers[i] = replacement;
    else this.#workers.push(replacement);
    this.emit('workerReplaced', dead, replacement);
  }
}
