/** Caption text sizes a viewer picks from. */
export const CAPTION_SIZES = ['s', 'm', 'l'] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number];

/** What the preference needs of the browser's storage (localStorage, or a stand-in in tests). */
export type CaptionStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'hawker.captions';

/**
 * A viewer's captions on this device: on or off (off until they ask) and the text size, kept in
 * storage so every show on this device opens the way they left the last one.
 */
export class CaptionPreference {
  readonly #storage: CaptionStorage | null;
  #on = $state(false);
  #size = $state<CaptionSize>('m');

  constructor(storage: CaptionStorage | null) {
    this.#storage = storage;
    try {
      const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
      if (saved && typeof saved === 'object') {
        const { on, size } = saved as { on?: unknown; size?: unknown };
        this.#on = on === true;
        if (CAPTION_SIZES.includes(size as CaptionSize)) this.#size = size as CaptionSize;
      }
    } catch {
      // Unreadable or blocked storage: the defaults.
    }
  }

  get on(): boolean {
    return this.#on;
  }

  get size(): CaptionSize {
    return this.#size;
  }

  toggle(): void {
    this.#on = !this.#on;
    this.#save();
  }

  setSize(size: CaptionSize): void {
    this.#size = size;
    this.#save();
  }

  #save(): void {
    try {
      this.#storage?.setItem(KEY, JSON.stringify({ on: this.#on, size: this.#size }));
    } catch {
      // Storage full or blocked: the choice holds for this page view only.
    }
  }
}

/** This browser's localStorage, or null where the page may not use it (blocked storage throws on access). */
export function deviceStorage(): CaptionStorage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}
