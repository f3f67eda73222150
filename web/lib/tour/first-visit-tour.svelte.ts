/** The places that explain themselves on a first visit. */
export type TourPlace = 'home' | 'room';

/** What the tour needs of the browser's storage (localStorage, or a stand-in in tests). */
export type TourStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'hawker.tour.seen';

/**
 * The first-visit tour: one line per place, shown until the visitor dismisses it, then never again on
 * this device. Nothing shows before the page reads the device's storage (on the server, or when storage
 * is blocked), so a returning visitor never sees the line flash.
 */
export class FirstVisitTour {
  readonly #storage: TourStorage | null;
  #seen = $state<ReadonlySet<TourPlace> | null>(null);

  constructor(storage: TourStorage | null) {
    this.#storage = storage;
    try {
      const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
      this.#seen = storage ? new Set(Array.isArray(saved) ? saved.filter((p): p is TourPlace => p === 'home' || p === 'room') : []) : null;
    } catch {
      this.#seen = new Set();
    }
  }

  /** Whether the line for `place` shows now. */
  shows(place: TourPlace): boolean {
    return this.#seen !== null && !this.#seen.has(place);
  }

  dismiss(place: TourPlace): void {
    const seen = new Set(this.#seen ?? []).add(place);
    this.#seen = seen;
    try {
      this.#storage?.setItem(KEY, JSON.stringify([...seen]));
    } catch {
      // Storage full or blocked: dismissed for this page view only.
    }
  }
}
