import type { types } from 'mediasoup';
import { mediaCodecs } from '../sfu/media-codecs.ts';
import type { WorkerSeats } from '../sfu/worker-seats.ts';

/** Where a show seats its viewers: every worker of the node, and what each carries across shows. */
export interface Seating {
  workers: () => readonly types.Worker[];
  seats: WorkerSeats;
}

/** A producer piped in from another node carries that node's id. */
export function isPiped(producer: types.Producer): boolean {
  return typeof (producer.appData as { fromNode?: unknown }).fromNode === 'string';
}

interface Spread {
  router: Promise<types.Router>;
  /** The producers piped to this router, by id: each is piped once, however many ask. */
  piped: Map<string, Promise<void>>;
}

/**
 * One show's routers on one node: the origin, where its producers arrive, and one router on each other
 * worker that carries viewers, fed from the origin through mediasoup's in-process pipes. Viewers then
 * spread over every core while the host publishes once. A piped producer keeps its id, so a viewer
 * consumes by the same id on whichever router it sits.
 */
export class ShowRouters {
  readonly origin: types.Router;
  readonly #originWorker: types.Worker;
  readonly #spread = new Map<types.Worker, Spread>();
  readonly #producers: () => Iterable<types.Producer>;
  readonly #lost: (router: types.Router) => void;

  /** `lost` hears of a spread router that closed on its own: its worker died. */
  constructor(opts: { origin: types.Router; worker: types.Worker; producers: () => Iterable<types.Producer>; lost: (router: types.Router) => void }) {
    this.origin = opts.origin;
    this.#originWorker = opts.worker;
    this.#producers = opts.producers;
    this.#lost = opts.lost;
  }

  has(worker: types.Worker): boolean {
    return worker === this.#originWorker || this.#spread.has(worker);
  }

  /** How many workers carry the show (the origin's included). */
  get size(): number {
    return 1 + this.#spread.size;
  }

  /** The show's router on `worker`, made and fed with every producer on first use. */
  async on(worker: types.Worker): Promise<types.Router> {
    if (worker === this.#originWorker) return this.origin;
    let spread = this.#spread.get(worker);
    if (!spread) {
      spread = { router: worker.createRouter({ mediaCodecs }), piped: new Map() };
      this.#spread.set(worker, spread);
      const made = spread;
      made.router.then(
        (router) => {
          router.observer.once('close', () => {
            if (this.#spread.get(worker) !== made) return;
            this.#spread.delete(worker);
            if (!this.origin.closed) this.#lost(router);
          });
        },
        () => this.#spread.get(worker) === made && this.#spread.delete(worker)
      );
    }
    const router = await spread.router;
    // A producer that closed meanwhile is not piped; its viewers are told it ended.
    await Promise.all([...this.#producers()].map((p) => this.#pipe(spread, p).catch(() => {})));
    return router;
  }

  /** Pipes a new producer to every spread router before viewers there are told of it. */
  async pipe(producer: types.Producer): Promise<void> {
    await Promise.all([...this.#spread.values()].map((s) => this.#pipe(s, producer).catch(() => {})));
  }

  close(): void {
    for (const s of this.#spread.values()) void s.router.then((r) => r.close(), () => {});
    this.#spread.clear();
  }

  #pipe(spread: Spread, producer: types.Producer): Promise<void> {
    let done = spread.piped.get(producer.id);
    if (!done) {
      done = spread.router.then(async (router) => {
        await this.origin.pipeToRouter({ producerId: producer.id, router });
      });
      spread.piped.set(producer.id, done);
      producer.observer.once('close', () => spread.piped.delete(producer.id));
      done.catch(() => spread.piped.delete(producer.id));
    }
    return done;
  }
}
