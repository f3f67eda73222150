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
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The first message held back during a quiet spell, and how many were. */
  #held: { first: { text: string; lang?: string } | null; count: number } = { first: null, count: 0 };

  /** `summary` words a count of messages not said one by one. */
  constructor(announcer: Pick<LiveAnnouncer, 'say'>, summary: (count: number) => string) {
    this.#announcer = announcer;
    this.#summary = summary;
  }

  /** A message to say; `lang`: its language when it is not the page's (a translation). */
  say(text: string, lang?: string): void {
    if (this.#timer) {
      this.#held.first ??= { text, lang };
      this.#held.count++;
      return;
    }
    this.#announcer.say(text, 'polite', lang);
    this.#keepQuiet();
  }

  destroy(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#held = { first: null, count: 0 };
  }

  #keepQuiet(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const { first, count } = this.#held;
      this.#held = { first: null, count: 0 };
      if (count === 1) this.say(first!.text, first!.lang);
      else if (count > 1) {
        this.#announcer.say(this.#summary(count));
        this.#keepQuiet();
      }
    }, QUIET_MS);
  }
}
