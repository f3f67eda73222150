/** How long a new message waits for its translation before it is said in the original. */
const TRANSLATION_WAIT_MS = 3000;

/**
 * Says new chat messages as the reader sees them: at once without translation; with it, once the
 * translation's answer settles the message (its translation, or the original if withheld), or in the
 * original after a moment if no answer comes (refused, failed, off screen).
 */
export class ArrivalAnnouncer<M extends { id: number }> {
  readonly #say: (message: M) => void;
  readonly #waitMs: number;
  readonly #held = new Map<number, { message: M; timer: ReturnType<typeof setTimeout> }>();

  /** `say` speaks a message as it shows now (translated or not). */
  constructor(say: (message: M) => void, waitMs = TRANSLATION_WAIT_MS) {
    this.#say = say;
    this.#waitMs = waitMs;
  }

  /** A message arrived; `translating`: a translation of it is on its way. */
  arrive(message: M, translating: boolean): void {
    if (!translating) {
      this.#say(message);
      return;
    }
    const timer = setTimeout(() => this.#release(message.id), this.#waitMs);
    this.#held.set(message.id, { message, timer });
  }

  /** The translation answered for these messages. */
  answered(ids: readonly number[]): void {
    for (const id of ids) this.#release(id);
  }

  destroy(): void {
    for (const { timer } of this.#held.values()) clearTimeout(timer);
    this.#held.clear();
  }

  #release(id: number): void {
    const held = this.#held.get(id);
    if (!held) return;
    clearTimeout(held.timer);
    this.#held.delete(id);
    this.#say(held.message);
  }
}
