import { api } from '$lib/api';
import { whipPath } from '$shared/stream-keys';

/**
 * The studio's "Stream from OBS" panel: the WHIP server URL, whether the show has a stream key and an
 * encoder streams with it, and the key itself right after it is made (the server never sends it again).
 */
export class StreamKeyPanel {
  #createdAt = $state<number | null>(null);
  #streaming = $state(false);
  #key = $state<string | null>(null);
  #loaded = $state(false);
  readonly #showId: string;
  readonly serverUrl: string;

  constructor(showId: string, origin: string) {
    this.#showId = showId;
    this.serverUrl = new URL(whipPath(showId), origin).href;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get hasKey(): boolean {
    return this.#createdAt !== null;
  }

  get createdAt(): number | null {
    return this.#createdAt;
  }

  get streaming(): boolean {
    return this.#streaming;
  }

  /** The key just made, until the host dismisses it; null otherwise. */
  get key(): string | null {
    return this.#key;
  }

  async load(): Promise<void> {
    const { streamKey } = await api('GET /shows/:id/stream-key', { params: { id: this.#showId } });
    this.#createdAt = streamKey.createdAt;
    this.#streaming = streamKey.streaming;
    this.#loaded = true;
  }

  /** Makes a new key; the old one stops working and its stream ends. */
  async regenerate(): Promise<void> {
    const made = await api('POST /shows/:id/stream-key', { params: { id: this.#showId } });
    this.#key = made.key;
    this.#createdAt = made.createdAt;
    this.#streaming = false;
  }

  dismissKey(): void {
    this.#key = null;
  }
}
