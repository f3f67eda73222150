import type { TranslateRequest, TranslationOfferDto, TranslationsDto } from '$shared/translation';
import { MAX_TRANSLATION_BATCH } from '$shared/translation';
import { ClientError } from '$lib/client-error';

export interface TranslationApi {
  offer(): Promise<TranslationOfferDto>;
  translate(request: TranslateRequest): Promise<TranslationsDto>;
}

/** Why translations are missing for now; the originals show meanwhile. */
export type TranslationTrouble = 'unavailable' | 'rate_limited';

/** How long new texts wait to be sent together; a burst of chat is one request. */
const BATCH_MS = 300;
/** After a refusal, how long before asking again. */
const BACK_OFF_MS = 20_000;

/**
 * "Translate chat to my language" for one show on this page: which languages the server offers for the
 * show, the one chosen, and the translations of the messages, notice and poll question this viewer sees.
 * New texts are gathered for a moment and asked for in one request; each translation can be swapped
 * back to its original. Anything not translated (refused, withheld, failed) shows in the original.
 */
export class ChatTranslation {
  #offer = $state<TranslationOfferDto | null>(null);
  #language = $state<string | null>(null);
  #messages = $state<Record<number, string>>({});
  /** The notice and poll question asked for last, with their translation, or null when it was withheld. */
  #notice = $state<{ source: string; text: string | null } | null>(null);
  #poll = $state<{ id: string; question: string | null } | null>(null);
  /** Texts the viewer switched back to the original: message ids, 'notice', 'poll'. */
  #originals = $state<Record<string, boolean>>({});
  #trouble = $state<TranslationTrouble | null>(null);
  readonly #api: TranslationApi;
  readonly #batchMs: number;
  readonly #backOffMs: number;
  /** Messages on screen, newest last; the overlay's notice and poll as they are now. */
  #seen: number[] = [];
  #seenNotice: string | null = null;
  #seenPoll: { id: string; question: string } | null = null;
  /** Message ids asked for (or answered) in the current language. */
  #asked = new Set<number>();
  #queue = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sending = false;
  #pausedUntil = 0;
  /** Bumped on every language change, so a late answer for the old language is dropped. */
  #generation = 0;
  readonly #answerListeners = new Set<(ids: readonly number[]) => void>();

  constructor(api: TranslationApi, opts: { batchMs?: number; backOffMs?: number } = {}) {
    this.#api = api;
    this.#batchMs = opts.batchMs ?? BATCH_MS;
    this.#backOffMs = opts.backOffMs ?? BACK_OFF_MS;
  }

  /** Reads what the server offers for the show; offers nothing if it cannot be read. */
  async load(): Promise<void> {
    try {
      this.#offer = await this.#api.offer();
    } catch {
      this.#offer = null;
    }
  }

  /** Languages the show's chat can be translated into. */
  get languages(): string[] {
    return this.#offer?.languages ?? [];
  }

  get offered(): boolean {
    return this.languages.length > 0;
  }

  /** The language translating into, or null when off. */
  get language(): string | null {
    return this.#language;
  }

  get trouble(): TranslationTrouble | null {
    return this.#trouble;
  }

  /** The reader's own language when offered, else the first offered. */
  defaultLanguage(locale: string): string | null {
    const own = locale.split('-')[0]!;
    return this.languages.includes(own) ? own : (this.languages[0] ?? null);
  }

  /** Translates into `language` from now on: what is on screen now, then what arrives. */
  start(language: string): void {
    if (!this.languages.includes(language) || language === this.#language) return;
    this.#reset();
    this.#language = language;
    this.#askForSeen();
  }

  stop(): void {
    this.#reset();
    this.#language = null;
  }

  /** The chat messages on screen now (call on every change); new ones are translated. */
  see(messages: readonly { id: number }[]): void {
    this.#seen = messages.map((m) => m.id);
    this.#forgetUnseen();
    this.#askForSeen();
  }

  /** The overlay's notice and poll now (call on every change); a new one is translated. */
  seeOverlay(notice: string | null, poll: { id: string; question: string } | null): void {
    this.#seenNotice = notice;
    this.#seenPoll = poll ? { id: poll.id, question: poll.question } : null;
    if (this.#wantsOverlay()) this.#schedule();
  }

  /** A message's text as it should show: its translation unless switched back, or there is none. */
  text(message: { id: number; text: string }): string {
    return this.showsTranslation(message.id) ? this.#messages[message.id]! : message.text;
  }

  /** Whether a translation exists for the message (then its original is one tap away). */
  translated(id: number): boolean {
    return this.#language !== null && this.#messages[id] !== undefined;
  }

  showsTranslation(id: number): boolean {
    return this.translated(id) && !this.#originals[id];
  }

  /** Swaps a message (or 'notice', 'poll') between its translation and its original. */
  toggle(key: number | 'notice' | 'poll'): void {
    this.#originals = { ...this.#originals, [key]: !this.#originals[key] };
  }

  /** Whether a translation exists for this notice (a withheld one has none, so nothing to toggle). */
  noticeTranslated(notice: string | null): boolean {
    return this.#language !== null && notice !== null && this.#notice?.source === notice && this.#notice.text !== null;
  }

  noticeText(notice: string | null): string | null {
    return this.noticeTranslated(notice) && !this.#originals.notice ? this.#notice!.text : notice;
  }

  /** Whether the notice shows translated (not switched back to its original). */
  get showsNotice(): boolean {
    return !this.#originals.notice;
  }

  get showsPoll(): boolean {
    return !this.#originals.poll;
  }

  pollTranslated(poll: { id: string } | null): boolean {
    return this.#language !== null && poll !== null && this.#poll?.id === poll.id && this.#poll.question !== null;
  }

  pollQuestion(poll: { id: string; question: string }): string {
    return (this.pollTranslated(poll) && !this.#originals.poll ? this.#poll!.question : null) ?? poll.question;
  }

  /** Called with the message ids each answer settles (translated or withheld); returns the unsubscribe. */
  onAnswer(listener: (ids: readonly number[]) => void): () => void {
    this.#answerListeners.add(listener);
    return () => this.#answerListeners.delete(listener);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#generation++;
  }

  #reset(): void {
    this.close();
    this.#messages = {};
    this.#notice = null;
    this.#poll = null;
    this.#originals = {};
    this.#trouble = null;
    this.#asked.clear();
    this.#queue.clear();
    this.#sending = false;
    this.#pausedUntil = 0;
  }

  /**
   * Drops what is kept for messages gone from the screen, so a long show kept open stays within the
   * chat's own window; one coming back is simply asked for again.
   */
  #forgetUnseen(): void {
    const seen = new Set(this.#seen);
    const gone = (key: string) => /^\d+$/.test(key) && !seen.has(Number(key));
    for (const id of this.#asked) if (!seen.has(id)) this.#asked.delete(id);
    for (const id of this.#queue) if (!seen.has(id)) this.#queue.delete(id);
    if (Object.keys(this.#messages).some(gone)) this.#messages = Object.fromEntries(Object.entries(this.#messages).filter(([id]) => !gone(id)));
    if (Object.keys(this.#originals).some(gone)) this.#originals = Object.fromEntries(Object.entries(this.#originals).filter(([key]) => !gone(key)));
  }

  /** The newest messages on screen not yet asked for; older history stays in the original. */
  #askForSeen(): void {
    if (this.#language === null) return;
    for (const id of this.#seen.slice(-MAX_TRANSLATION_BATCH)) if (!this.#asked.has(id)) this.#queue.add(id);
    if (this.#queue.size > 0 || this.#wantsOverlay()) this.#schedule();
  }

  #wantsOverlay(): { notice: boolean; poll: boolean } | null {
    if (this.#language === null) return null;
    const notice = this.#seenNotice !== null && this.#notice?.source !== this.#seenNotice;
    const poll = this.#seenPoll !== null && this.#poll?.id !== this.#seenPoll.id;
    return notice || poll ? { notice, poll } : null;
  }

  #schedule(): void {
    if (this.#timer || this.#sending) return;
    const wait = Math.max(this.#batchMs, this.#pausedUntil - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#send();
    }, wait);
  }

  async #send(): Promise<void> {
    const to = this.#language;
    if (to === null) return;
    const messageIds = [...this.#queue].slice(-MAX_TRANSLATION_BATCH);
    const overlay = this.#wantsOverlay() ?? { notice: false, poll: false };
    if (messageIds.length === 0 && !overlay.notice && !overlay.poll) return;
    const sentNotice = this.#seenNotice;
    const sentPoll = this.#seenPoll;
    for (const id of messageIds) {
      this.#queue.delete(id);
      this.#asked.add(id);
    }
    const generation = this.#generation;
    this.#sending = true;
    try {
      const reply = await this.#api.translate({ to, messageIds, notice: overlay.notice, poll: overlay.poll });
      if (generation !== this.#generation) return;
      this.#trouble = null;
      // Messages that left the screen meanwhile are not kept.
      const shown = reply.messages.filter((m) => this.#seen.includes(m.id));
      if (shown.length) this.#messages = { ...this.#messages, ...Object.fromEntries(shown.map((m) => [m.id, m.text])) };
      // One withheld (word filter, too long) is remembered as such, so it is not asked again; unless
      // it changed meanwhile: the answer said nothing about the new one, which is asked for next.
      if (overlay.notice) {
        if (reply.notice) this.#notice = reply.notice;
        else if (sentNotice !== null && this.#seenNotice === sentNotice) this.#notice = { source: sentNotice, text: null };
      }
      if (overlay.poll) {
        if (reply.poll) this.#poll = reply.poll;
        else if (sentPoll && this.#seenPoll?.id === sentPoll.id) this.#poll = { id: sentPoll.id, question: null };
      }
      if (messageIds.length) for (const listener of this.#answerListeners) listener(messageIds);
    } catch (err) {
      if (generation !== this.#generation) return;
      // The originals stay; these are asked again after a pause.
      for (const id of messageIds) {
        this.#asked.delete(id);
        this.#queue.add(id);
      }
      this.#trouble = err instanceof ClientError && err.code === 'rate_limited' ? 'rate_limited' : 'unavailable';
      this.#pausedUntil = Date.now() + this.#backOffMs;
    } finally {
      if (generation === this.#generation) this.#sending = false;
    }
    if (this.#queue.size > 0 || this.#wantsOverlay()) this.#schedule();
  }
}
