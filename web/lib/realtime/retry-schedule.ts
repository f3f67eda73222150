import { errorCode, type ClientErrorCode } from '$lib/client-error';

/** Error codes a media request may be retried on: the media server is restarting, or the reply was lost. */
const RETRYABLE = new Set<ClientErrorCode>(['media_unavailable', 'timeout', 'internal']);

export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return code !== null && RETRYABLE.has(code);
}

/**
 * Retries with exponential backoff and jitter (so viewers of a restarted media server do not
 * come back all at once), and gives up after `attempts` so the person can choose to try again.
 */
export class RetrySchedule {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #attempts: number;
  readonly #random: () => number;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: { baseMs?: number; maxMs?: number; attempts?: number; random?: () => number } = {}) {
    this.#baseMs = opts.baseMs ?? 500;
    this.#maxMs = opts.maxMs ?? 8000;
    this.#attempts = opts.attempts ?? 6;
    this.#random = opts.random ?? Math.random;
  }

  /** Every attempt is used: `schedule` would refuse. */
  get exhausted(): boolean {
    return this.#attempt >= this.#attempts;
  }

  /** Runs `fn` after the next delay; false (and nothing scheduled) once every attempt is used. */
  schedule(fn: () => void): boolean {
    this.cancel();
    if (this.#attempt >= this.#attempts) return false;
    const delay = Math.min(this.#maxMs, this.#baseMs * 2 ** this.#attempt++) * (0.5 + this.#random() / 2);
    this.#timer = setTimeout(fn, delay);
    return true;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A success: the next failure starts from the shortest delay again. */
  reset(): void {
    this.cancel();
    this.#attempt = 0;
  }
}
