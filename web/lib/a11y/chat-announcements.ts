import type { LiveAnnouncer } from './live-announcer.svelte';

/** At most one chat message is read out in this long; a busy chat would otherwise talk over everything else. */
const QUIET_MS = 3000;

/**
 * Reads new chat messages out through a LiveAnnouncer without flooding it: a message is said at once,
 * then none for a few seconds. What arrives meanwhile is said when they pass: the message itself if
 * it was one, else how many came ("4 new messages"), for the reader to find in the chat's log.
 */
export class ChatAnnouncements {
  readonly #announcer: Pick<LiveAnnouncer, 'say'>;
  readonly #summary: (count: number) => string;
  readonly #quietMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #held: { text: string; lang?: string }[] = [];

  /** `summary` words a count of messages not said one by one. */
  constructor(announcer: Pick<LiveAnnouncer, 'say'>, summary: (count: number) => string, quietMs = QUIET_MS) {
    this.#announcer = announcer;
    this.#summary = summary;
    this.#quietMs = quietMs;
  }

  /** A message to say; `lang`: its language when it is not the page's (a translation). */
  say(text: string, lang?: string): void {
    if (this.#timer) {
      this.#held.push({ text, lang });
      return;
    }
    this.#announcer.say(text, 'polite', lang);
    this.#keepQuiet();
  }

  destroy(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#held = [];
  }

  #keepQuiet(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const held = this.#held;
      this.#held = [];
      if (held.length === 1) this.say(held[0]!.text, held[0]!.lang);
      else if (held.length > 1) {
        this.#announcer.say(this.#summary(held.length));
        this.#keepQuiet();
      }
    }, this.#quietMs);
  }
}
