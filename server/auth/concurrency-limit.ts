import { AppError } from '../errors.ts';

/**
 * Runs at most `concurrency` tasks at once; later ones wait in a queue of at most `maxQueue`,
 * and past that are refused, so a flood costs a 429 rather than memory.
 */
export class ConcurrencyLimit {
  readonly #concurrency: number;
  readonly #maxQueue: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(opts: { concurrency: number; maxQueue: number }) {
    this.#concurrency = opts.concurrency;
    this.#maxQueue = opts.maxQueue;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxQueue) throw new AppError('rate_limited', 'The server is busy; try again in a moment.');
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so the count never dips and lets a newcomer jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
