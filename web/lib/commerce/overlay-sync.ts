/** With no cue for a held change, it is shown this long after the video should have reached it. */
const CUE_GRACE_MS = 2000;
/** Assumed lag until the player has measured its own. */
const UNMEASURED_LAG_MS = 3000;
/** A change whose mark the player already holds waits for the video this long at most (a stalled player). */
const MARKED_WAIT_MS = 30_000;

/**
 * Shows each overlay change when the viewer's video shows the host making it.
 * WebRTC video is live, so changes pass at once. LL-HLS video runs behind, so a
 * change waits for the stream's timed-metadata cue of its revision (or a later
 * one). Once the player holds that mark ahead of the playhead the change waits
 * for it, however slowly a loaded player plays; should no mark come (an encoder
 * restart), a deadline from the measured lag lets it through. States are whole,
 * so only the newest due one is shown, and a state older than the one on screen
 * never replaces it.
 */
export class OverlaySync<T extends { rev: number }> {
  readonly #show: (state: T) => void;
  /** Seconds the video runs behind live, or null when it is live (WebRTC). */
  #lagMs: number | null = null;
  #pending: { state: T; deadline: number }[] = [];
  #shownRev = -1;
  /** Newest revision the video has reached. */
  #reached = 0;
  /** Newest revision whose mark the player holds. */
  #marked = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(show: (state: T) => void) {
    this.#show = show;
  }

  /** The video is `seconds` behind live (LL-HLS; null before the player knows): hold changes for it. */
  followStream(seconds: number | null): void {
    this.#lagMs = seconds === null ? UNMEASURED_LAG_MS : Math.max(0, seconds * 1000);
  }

  /** The video is live (WebRTC): show changes as they come, and whatever was held. */
  followLive(): void {
    this.#lagMs = null;
    this.#release(Infinity, Infinity);
  }

  /** A change pushed by the host. */
  offer(state: T): void {
    if (this.#lagMs === null || state.rev <= this.#reached) return this.#showIfNewer(state);
    this.#pending.push({ state, deadline: this.#deadline(state.rev) });
    this.#schedule();
  }

  /** The player holds the mark of revision `rev`, still ahead of the playhead. */
  marked(rev: number): void {
    this.#marked = Math.max(this.#marked, rev);
    for (const p of this.#pending) p.deadline = Math.max(p.deadline, this.#deadline(p.state.rev));
    this.#schedule();
  }

  /** The whole current state, e.g. on (re)joining: shown at once, as the room is now. */
  reset(state: T): void {
    this.#reached = Math.max(this.#reached, state.rev);
    this.#pending = this.#pending.filter((p) => p.state.rev > state.rev);
    this.#schedule();
    this.#showIfNewer(state);
  }

  /** The video reached the cue of revision `rev`. */
  reached(rev: number): void {
    this.#reached = Math.max(this.#reached, rev);
    this.#release(this.#reached, -Infinity);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#pending = [];
  }

  /** Shows the newest held state with a revision up to `rev` or a deadline up to `until`, dropping older ones. */
  #release(rev: number, until: number): void {
    let due: T | null = null;
    this.#pending = this.#pending.filter((p) => {
      if (p.state.rev > rev && p.deadline > until) return true;
      if (!due || p.state.rev > due.rev) due = p.state;
      return false;
    });
    if (due) this.#showIfNewer(due);
    this.#schedule();
  }

  #deadline(rev: number): number {
    return Date.now() + (rev <= this.#marked ? MARKED_WAIT_MS : (this.#lagMs ?? 0) + CUE_GRACE_MS);
  }

  #showIfNewer(state: T): void {
    if (state.rev < this.#shownRev) return;
    this.#shownRev = state.rev;
    this.#show(state);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#pending.length === 0) return;
    const next = Math.min(...this.#pending.map((p) => p.deadline));
    this.#timer = setTimeout(() => this.#release(-Infinity, Date.now()), Math.max(0, next - Date.now()));
  }
}
