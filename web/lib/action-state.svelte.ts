import { errorText } from '$lib/i18n/error-text';

type Translate = Parameters<typeof errorText>[1];

/**
 * A component's async actions (a button press, a form sent): whether one is running, and the last
 * failure as text in the reader's language. A failure is shown, never thrown back at the caller.
 */
export class ActionState {
  #busy = $state(false);
  #error = $state<string | null>(null);
  readonly #t: Translate;

  constructor(t: Translate) {
    this.#t = t;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Shows a message of the component's own, e.g. a form check that never reached the server. */
  fail(message: string): void {
    this.#error = message;
  }

  /** Runs `action` after clearing the last error; resolves to whether it succeeded. */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.#busy = true;
    this.#error = null;
    try {
      await action();
      return true;
    } catch (err) {
      this.#error = errorText(err, this.#t);
      return false;
    } finally {
      this.#busy = false;
    }
  }
}
