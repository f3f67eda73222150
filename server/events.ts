import { EventEmitter } from 'node:events';
import { logger } from './log.ts';
import { listenerErrors } from './metrics/metrics.ts';

const log = logger('events');

/**
 * An EventEmitter whose event names and argument lists are checked at compile time.
 * Emitting is isolated like mediasoup's `safeEmit`: a listener that throws (or whose
 * promise rejects) is logged and counted, and never reaches the emitter or the
 * listeners after it. Events are emitted after a commit; a listener's failure must
 * not turn a committed change into an error or stop the work that follows it.
 */
export class TypedEmitter<Events extends Record<string, unknown[]>> {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  on<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  protected emit<E extends keyof Events & string>(event: E, ...args: Events[E]): void {
    // rawListeners: a copy (listeners may come and go while we call them) with `once` wrappers intact.
    for (const listener of this.#emitter.rawListeners(event) as ((...a: unknown[]) => unknown)[]) {
      try {
        const result = listener.apply(this, args);
        if (result instanceof Promise) result.catch((err: unknown) => listenerFailed(event, err));
      } catch (err) {
        listenerFailed(event, err);
      }
    }
  }
}

function listenerFailed(event: string, err: unknown): void {
  listenerErrors.inc({ event });
  log.error({ err, event }, 'event listener failed');
}
