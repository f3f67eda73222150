import type { CaptionCue } from '$shared/captions';
import type { RealtimeClient } from '$lib/realtime/realtime-client';

/** Lines on screen at once: enough to follow a sentence, few enough to leave the product in view. */
const MAX_LINES = 2;
/** How long a finished sentence stays up after it was last heard. */
export const FINAL_HOLD_MS = 4000;
/** An utterance whose final never comes (the engine restarted) leaves after this long without news. */
export const INTERIM_STALE_MS = 6000;

export interface CaptionLine {
  id: string;
  text: string;
  final: boolean;
}

/** Where the room's captions come from: the socket (WebRTC, live) or the video's subtitle track (LL-HLS, in step with the picture). */
export type CaptionSource = 'socket' | 'track';

/**
 * The captions a viewer sees over the video. Over WebRTC the server's `captions` notifications
 * arrive as the host speaks: interim cues of one utterance replace each other, a final one stays
 * briefly, and the screen empties after a few seconds of silence. Over LL-HLS the video plays
 * behind live, so the subtitle track's active cues are shown instead and socket cues are ignored.
 */
export class LiveCaptions {
  #lines = $state<readonly CaptionLine[]>([]);
  /** Whether this show has captioned anything since the page opened (the host may turn them on mid-show). */
  #heard = $state(false);
  #source: CaptionSource = 'socket';
  readonly #expiresAt = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribe: () => void;

  constructor(showId: string, client: RealtimeClient) {
    this.#unsubscribe = client.on('captions', ({ cue }) => {
      if (cue.showId === showId) this.receive(cue);
    });
  }

  get lines(): readonly CaptionLine[] {
    return this.#lines;
  }

  get heard(): boolean {
    return this.#heard;
  }

  /** Switching source empties the screen: the other source's lines belong to another moment. */
  set source(source: CaptionSource) {
    if (source === this.#source) return;
    this.#source = source;
    this.#clear();
  }

  /** A cue from the socket: it replaces the line of its utterance, or starts a new one. */
  receive(cue: CaptionCue): void {
    this.#heard = true;
    if (this.#source !== 'socket') return;
    const text = cue.text.trim();
    const line = { id: cue.id, text, final: cue.final };
    const rest = this.#lines.filter((l) => l.id !== cue.id);
    const known = rest.length < this.#lines.length;
    // An empty cue has nothing to show: it only clears its utterance's line, if that is still up.
    if (!known && !text) return;
    const lines = known ? this.#lines.map((l) => (l.id === cue.id ? line : l)) : [...rest, line];
    this.#lines = lines.filter((l) => l.text).slice(-MAX_LINES);
    this.#expiresAt.set(cue.id, Date.now() + (cue.final ? FINAL_HOLD_MS : INTERIM_STALE_MS));
    for (const id of this.#expiresAt.keys()) if (!this.#lines.some((l) => l.id === id)) this.#expiresAt.delete(id);
    this.#schedule();
  }

  /** The subtitle track's cues active now (LL-HLS): the track's own timing says when they go. */
  showActive(cues: readonly { id: string; text: string }[]): void {
    if (this.#source !== 'track') return;
    if (cues.length > 0) this.#heard = true;
    this.#lines = cues
      .map((c) => ({ id: c.id, text: c.text.trim(), final: true }))
      .filter((l) => l.text)
      .slice(-MAX_LINES);
  }

  close(): void {
    this.#unsubscribe();
    clearTimeout(this.#timer);
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#expiresAt.clear();
    this.#lines = [];
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#expiresAt.size === 0) return;
    const next = Math.min(...this.#expiresAt.values());
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, next - Date.now()));
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, at] of this.#expiresAt) if (at <= now) this.#expiresAt.delete(id);
    this.#lines = this.#lines.filter((l) => this.#expiresAt.has(l.id));
    this.#schedule();
  }
}
