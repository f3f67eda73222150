import type { types } from 'mediasoup';

/**
 * The viewers and consumers each worker carries across every show: where the next viewer goes, and
 * whether a worker may take another consumer (SFU_MAX_CONSUMERS_PER_WORKER).
 */
export class WorkerSeats {
  readonly #viewers = new Map<types.Worker, number>();
  readonly #consumers = new Map<types.Worker, number>();
  readonly #maxConsumers: number;

  constructor(maxConsumersPerWorker = Infinity) {
    this.#maxConsumers = maxConsumersPerWorker;
  }

  /**
   * The live worker with the fewest viewers that can take another consumer; on a tie one that `has`
   * the show already (no new pipe). Null when every worker is full.
   */
  choose(workers: readonly types.Worker[], has: (w: types.Worker) => boolean): types.Worker | null {
    let best: types.Worker | null = null;
    let bestScore = Infinity;
    for (const w of workers) {
      if (w.closed || this.full(w)) continue;
      // Viewers count whole; a worker without the show loses ties by half a viewer.
      const score = (this.#viewers.get(w) ?? 0) + (has(w) ? 0 : 0.5);
      if (score < bestScore) [best, bestScore] = [w, score];
    }
    return best;
  }

  full(worker: types.Worker): boolean {
    return (this.#consumers.get(worker) ?? 0) >= this.#maxConsumers;
  }

  /** True when no live worker can take another consumer: new viewers watch over LL-HLS. */
  allFull(workers: readonly types.Worker[]): boolean {
    return workers.every((w) => w.closed || this.full(w));
  }

  seat(worker: types.Worker): () => void {
    return this.#count(this.#viewers, worker);
  }

  consumed(worker: types.Worker): () => void {
    return this.#count(this.#consumers, worker);
  }

  viewers(worker: types.Worker): number {
    return this.#viewers.get(worker) ?? 0;
  }

  /** Adds one and returns its release, which counts once however often it is called. */
  #count(counts: Map<types.Worker, number>, worker: types.Worker): () => void {
    counts.set(worker, (counts.get(worker) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (counts.get(worker) ?? 1) - 1;
      if (n > 0) counts.set(worker, n);
      else counts.delete(worker);
    };
  }
}
