import { errorText } from '$lib/i18n/error-text';

type Translate = Parameters<typeof errorText>[1];

/**
 * What the last action on a list row did (a revoke, a delete), said once for the whole list: the row
 * it came from may be gone. A failure is shown in the reader's language, never thrown.
 */
export class ListNotice {
  #current = $state<{ ok: boolean; text: string } | null>(null);
  readonly #t: Translate;

  constructor(t: Translate) {
    this.#t = t;
  }

  get current(): { ok: boolean; text: string } | null {
    return this.#current;
  }

  /** Runs `action`, then says `done` if it succeeded or why it failed. */
  async run(action: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await action();
      this.#current = { ok: true, text: done };
    } catch (err) {
      this.#current = { ok: false, text: errorText(err, this.#t) };
    }
  }
}
