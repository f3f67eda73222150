import { untrack } from 'svelte';

export type Politeness = 'polite' | 'assertive';

export interface Announcement {
  id: number;
  text: string;
  politeness: Politeness;
  /** The text's language when it is not the page's (a chat message's translation), so it is spoken with the right voice. */
  lang?: string;
}

/**
 * What a screen reader should say, for the page's `aria-live` regions (see LiveRegion.svelte).
 * Each announcement is a node of its own, so screen readers speak the one added and not the whole
 * region, and it is removed once spoken, so the region never grows into a second copy of the page.
 */
export class LiveAnnouncer {
  #items = $state<Announcement[]>([]);
  #nextId = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #keepMs: number;
  readonly #max: number;

  /** `keepMs`: long enough for a screen reader to reach it; `max`: a burst keeps only its latest few. */
  constructor({ keepMs = 7000, max = 3 }: { keepMs?: number; max?: number } = {}) {
    this.#keepMs = keepMs;
    this.#max = max;
  }

  get polite(): Announcement[] {
    return this.#items.filter((a) => a.politeness === 'polite');
  }

  get assertive(): Announcement[] {
    return this.#items.filter((a) => a.politeness === 'assertive');
  }

  /** Safe to call from an effect: reading its own list to add to it does not make the caller's effect depend on it. */
  say(text: string, politeness: Politeness = 'polite', lang?: string): void {
    if (!text.trim()) return;
    const id = ++this.#nextId;
    untrack(() => {
      const same = this.#items.filter((a) => a.politeness === politeness);
      const dropped = new Set(same.slice(0, Math.max(0, same.length + 1 - this.#max)).map((a) => a.id));
      this.#items = [...this.#items.filter((a) => !dropped.has(a.id)), { id, text, politeness, lang }];
    });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#items = this.#items.filter((a) => a.id !== id);
    }, this.#keepMs);
    this.#timers.add(timer);
  }

  destroy(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#items = [];
  }
}
