/**
 * One show spread over a pool's workers with the product's own parts: the show's routers
 * (`ShowRouters`: the source's router on worker 0, its producers piped to a router on each other
 * worker on first use) and the seating (`WorkerSeats`: each new viewer on the worker with the fewest),
 * so a ramp fills the workers evenly. A piped producer keeps its id: viewers consume by the source's ids.
 */
import type { types } from 'mediasoup';
import { ShowRouters } from '../../../server/rooms/show-routers.ts';
import type { WorkerPool } from '../../../server/sfu/worker-pool.ts';
import { WorkerSeats } from '../../../server/sfu/worker-seats.ts';

export interface ShowWorkers {
  /** Seats one viewer: its worker and the show's router there. */
  place(): Promise<{ worker: types.Worker; router: types.Router }>;
}

/** `origin` is the source's router, on the pool's first worker. */
export function spreadShow(pool: WorkerPool, origin: types.Router, producers: readonly types.Producer[]): ShowWorkers {
  const routers = new ShowRouters({ origin, worker: pool.workers[0]!, producers: () => producers, lost: () => {} });
  const seats = new WorkerSeats();
  return {
    async place() {
      const worker = seats.choose(pool.workers, (w) => routers.has(w));
      if (!worker) throw new Error('no worker can seat another viewer');
      seats.seat(worker);
      return { worker, router: await routers.on(worker) };
    }
  };
}
