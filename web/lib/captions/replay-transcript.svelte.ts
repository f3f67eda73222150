import type { TranscriptCue, TranscriptDto } from '$shared/captions';

/** Typing pauses this long before the search goes out, so a word is one request, not one per letter. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * A replay's transcript: every final caption of the show, or those naming what the viewer searched
 * for, each with its place in the recording to jump to. Only the latest search's answer is shown,
 * however the replies interleave.
 */
export class ReplayTranscript {
  #query = $state('');
  #cues = $state<readonly TranscriptCue[]>([]);
  /** The search the listed cues answer; the box runs ahead of it while typing pauses. */
  #answered = $state('');
  #hasTranscript = $state(false);
  #truncated = $state(false);
  #error = $state<unknown>(null);
  readonly #load: (q: string) => Promise<TranscriptDto>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest = 0;

  constructor(load: (q: string) => Promise<TranscriptDto>) {
    this.#load = load;
  }

  get query(): string {
    return this.#query;
  }
  get cues(): readonly TranscriptCue[] {
    return this.#cues;
  }
  /** The (trimmed) search the cues answer, '' for the whole transcript. */
  get answered(): string {
    return this.#answered;
  }
  /**
   * Whether the show has a transcript at all: the whole of it was read once and had lines. A search
   * that finds nothing does not change it, so the panel and its search box stay.
   */
  get hasTranscript(): boolean {
    return this.#hasTranscript;
  }
  /** More cues matched than the server sends at once. */
  get truncated(): boolean {
    return this.#truncated;
  }
  get error(): unknown {
    return this.#error;
  }

  /** Reads the transcript for the current search at once. */
  refresh(): Promise<void> {
    clearTimeout(this.#timer);
    return this.#fetch(this.#query.trim());
  }

  /** The search box changed: search once typing pauses. */
  search(query: string): void {
    this.#query = query;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#fetch(query.trim()), SEARCH_DEBOUNCE_MS);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#latest++;
  }

  async #fetch(q: string): Promise<void> {
    const mine = ++this.#latest;
    try {
      const reply = await this.#load(q);
      if (mine !== this.#latest) return;
      this.#cues = reply.cues;
      this.#answered = q;
      this.#truncated = reply.truncated;
      if (!q && reply.cues.length > 0) this.#hasTranscript = true;
      this.#error = null;
    } catch (err) {
      if (mine === this.#latest) this.#error = err;
    }
  }
}

/** A cue's text cut where it names the search, so the page can mark each match. */
export function markMatches(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim();
  if (!q) return [{ text, match: false }];
  const pattern = new RegExp(`(${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'giu');
  return text
    .split(pattern)
    .filter((part) => part !== '')
    .map((part) => ({ text: part, match: part.toLocaleLowerCase() === q.toLocaleLowerCase() }));
}
