import { createHash } from 'node:crypto';

/**
 * Translations by (text, from, to), least recently used first out, bounded both in entries and in
 * bytes (a few long texts cannot hold as much memory as many short ones). A text's key is its hash,
 * so the cache holds no original longer than the translation itself needs.
 */
export class TranslationCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  /** Map order is use order: the first entry is the least recently used. */
  readonly #entries = new Map<string, string>();
  #bytes = 0;

  constructor(opts: { maxEntries: number; maxBytes: number }) {
    this.#maxEntries = opts.maxEntries;
    this.#maxBytes = opts.maxBytes;
  }

  static key(text: string, from: string, to: string): string {
    return `${from}>${to}:${createHash('sha256').update(text).digest('base64url')}`;
  }

  get(key: string): string | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: string): void {
    const cost = sizeOf(key, value);
    if (cost > this.#maxBytes) return;
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= sizeOf(key, old);
    }
    this.#entries.set(key, value);
    this.#bytes += cost;
    for (const [k, v] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= sizeOf(k, v);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

/** What an entry holds in memory, roughly: strings are UTF-16. */
function sizeOf(key: string, value: string): number {
  return (key.length + value.length) * 2;
}
