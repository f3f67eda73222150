import type { CaptionSettingsDto } from '$shared/captions';
import type { LiveRoom } from '$lib/live-room/live-room.svelte';
import { CaptionPreference, type CaptionStorage } from './caption-preference.svelte';
import { LiveCaptions } from './live-captions.svelte';

/**
 * Captions in the room: whether the show offers them (the host turned them on and the server has a
 * speech engine), the viewer's preference on this device, and the lines on screen. The settings are
 * read on every join and rejoin, so a host turning captions on mid-show reaches viewers who rejoin,
 * and the first caption heard shows the button to everyone else.
 */
export class RoomCaptions {
  readonly live: LiveCaptions;
  readonly preference: CaptionPreference;
  #enabled = $state(false);
  readonly #unsubscribe: (() => void)[];

  constructor(opts: { showId: string; room: LiveRoom; storage: CaptionStorage | null; settings: () => Promise<CaptionSettingsDto> }) {
    this.live = new LiveCaptions(opts.showId, opts.room.client);
    this.preference = new CaptionPreference(opts.storage);
    const read = () =>
      void opts.settings().then(
        (s) => (this.#enabled = s.enabled && s.provider !== null),
        () => {}
      );
    // Read on each join, not before as well: the page joins at once, and an ended show, which it does not join, has no CC button.
    this.#unsubscribe = [opts.room.on('joined', read), opts.room.on('rejoined', read)];
  }

  /** Whether this show has captions to offer: the CC button shows only then. */
  get offered(): boolean {
    return this.#enabled || this.live.heard;
  }

  /** Whether the overlay shows: offered, and the viewer turned them on. */
  get showing(): boolean {
    return this.offered && this.preference.on;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
    this.live.close();
  }
}
