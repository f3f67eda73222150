import type { RequestHandler } from 'express';

/** Counts HTTP requests still being answered, so a shutdown can wait for exactly those. */
export class InFlightRequests {
  #count = 0;
  #waiters: (() => void)[] = [];

  /** Mount first: every request counts until its response is finished or its connection is gone. */
  readonly middleware: RequestHandler = (_req, res, next) => {
    this.#count++;
    res.once('close', () => {
      if (--this.#count === 0) for (const resolve of this.#waiters.splice(0)) resolve();
    });
    next();
  };

  /** Resolves once no request is in flight. */
  settled(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
