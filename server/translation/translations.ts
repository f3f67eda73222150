import type { z } from 'zod';
import type { Chat } from '../chat/chat.ts';
import { AppError } from '../errors.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import { addressBucket } from '../limits/rate-limit.ts';
import { logger } from '../log.ts';
import type { Overlay } from '../overlay/overlay.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import { MAX_TRANSLATED_TEXT, type translateRequestSchema, type TranslationOfferDto, type TranslationsDto } from '#shared/translation.ts';
import { TranslationCache } from './translation-cache.ts';
import { TranslatorUnavailable, type Translator } from './translator.ts';

const log = logger('translation');

/** Who asks: limits count per account (when signed in) and per address. */
export interface Asker {
  user: PublicUser | null;
  address: string;
}

/**
 * Per minute. A viewer with translation on asks about once a second while chat runs fast; one full
 * batch (50 messages of at most 500 characters, the notice and the poll) fits in an account's minute;
 * an address may be several viewers behind one NAT.
 */
export const TRANSLATION_LIMITS = {
  batchesPerMinute: { account: 60, address: 120 },
  charactersPerMinute: { account: 30_000, address: 60_000 }
} as const;

const CACHE = { maxEntries: 20_000, maxBytes: 16 * 1024 * 1024 };

type Source = { kind: 'message'; id: number; text: string } | { kind: 'notice'; text: string } | { kind: 'poll'; id: string; text: string };

/**
 * Translates what a show's viewers see, each text once per target language: translations are
 * cached (bounded LRU) and a text already being translated is waited for, not sent again. Only
 * messages still shown are translated, and the show's word filter runs on the original and again
 * on the translation before anything is returned.
 */
export class Translations {
  readonly #translator: Translator | null;
  readonly #chat: Chat;
  readonly #overlay: Overlay;
  readonly #shows: Shows;
  readonly #showLanguage: (showId: string) => Promise<string>;
  readonly #cache = new TranslationCache(CACHE);
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #batches: { account: SharedLimit; address: SharedLimit };
  readonly #characters: { account: SharedLimit; address: SharedLimit };

  constructor(opts: { translator: Translator | null; chat: Chat; overlay: Overlay; shows: Shows; showLanguage: (showId: string) => Promise<string>; limits: LimitStore }) {
    this.#translator = opts.translator;
    this.#chat = opts.chat;
    this.#overlay = opts.overlay;
    this.#shows = opts.shows;
    this.#showLanguage = opts.showLanguage;
    const { batchesPerMinute: b, charactersPerMinute: c } = TRANSLATION_LIMITS;
    const limit = (name: string, n: number) => opts.limits.limit({ name, limit: n, windowSeconds: 60 });
    this.#batches = { account: limit('translate-account', b.account), address: limit('translate-address', b.address) };
    this.#characters = { account: limit('translate-chars-account', c.account), address: limit('translate-chars-address', c.address) };
  }

  async offer(showId: string): Promise<TranslationOfferDto> {
    await this.#shows.get(showId);
    const from = await this.#from(showId);
    return { provider: this.#translator?.name ?? null, from, languages: this.#targets(from) };
  }

  async translate(asker: Asker, showId: string, req: z.output<typeof translateRequestSchema>): Promise<TranslationsDto> {
    const translator = this.#translator;
    if (!translator) throw new AppError('unavailable', 'Translation is off on this server.');
    await this.#shows.get(showId);
    const from = await this.#from(showId);
    if (!this.#targets(from).includes(req.to)) throw new AppError('bad_request', `This show cannot be translated into "${req.to}".`, { field: 'to' });
    await this.#charge(asker, 0);
    const filter = await this.#chat.wordFilter(showId);
    const passes = (text: string) => filter.check(text).ok;
    const ids = [...new Set(req.messageIds)];
    const shown = await this.#chat.visibleTexts(showId, ids);
    const overlay = req.notice || req.poll ? await this.#overlay.state(showId) : null;
    // The filter runs on the original first: a message sent before a word joined the show's blocklist is not passed on.
    const fits = (text: string | undefined): text is string => text !== undefined && text.length <= MAX_TRANSLATED_TEXT && passes(text);
    const sources: Source[] = [];
    const withheld: number[] = [];
    for (const id of ids) {
      const text = shown.get(id);
      if (fits(text)) sources.push({ kind: 'message', id, text });
      else withheld.push(id);
    }
    if (req.notice && fits(overlay?.notice ?? undefined)) sources.push({ kind: 'notice', text: overlay!.notice! });
    if (req.poll && overlay?.poll && fits(overlay.poll.question)) sources.push({ kind: 'poll', id: overlay.poll.id, text: overlay.poll.question });
    await this.#charge(asker, sources.reduce((n, s) => n + s.text.length, 0));
    const out = await this.#translateAll(translator, sources.map((s) => s.text), from, req.to);
    const reply: TranslationsDto = { to: req.to, messages: [], withheld, notice: null, poll: null };
    sources.forEach((s, i) => {
      const text = out[i]!;
      // And on the translation: an engine can turn harmless words into blocked ones, and a buyer can
      // write a blocked word in a way only its translation spells out.
      if (!passes(text)) {
        if (s.kind === 'message') withheld.push(s.id);
        return;
      }
      if (s.kind === 'message') reply.messages.push({ id: s.id, text });
      else if (s.kind === 'notice') reply.notice = { source: s.text, text };
      else reply.poll = { id: s.id, question: text };
    });
    return reply;
  }

  /**
   * The language a show's chat is taken to be in: the one its host speaks, as set for its captions,
   * without a region ("pt-BR" → "pt") unless the translator offers that very tag ("zh-TW"). Messages
   * are not guessed at one by one: buyers mostly write the host's language, and detection on "ok" or
   * "lol" guesses wrong.
   */
  async #from(showId: string): Promise<string> {
    const tag = await this.#showLanguage(showId);
    return this.#translator?.pairs().some((p) => p.from === tag) ? tag : tag.split('-')[0]!;
  }

  /** Languages the show's chat can be translated into. */
  #targets(from: string): string[] {
    return [...new Set((this.#translator?.pairs() ?? []).filter((p) => p.from === from).map((p) => p.to))];
  }

  /** A batch (`characters` 0) or its characters, counted for the account and the address. */
  async #charge(asker: Asker, characters: number): Promise<void> {
    const limits = characters === 0 ? this.#batches : this.#characters;
    const points = Math.max(1, characters);
    const address = addressBucket(asker.address);
    const ok = (!asker.user || (await limits.account.take(asker.user.id, points))) && (await limits.address.take(address, points));
    if (!ok) throw new AppError('rate_limited', 'Too many translations for now; wait a minute. The original text is shown meanwhile.');
  }

  /** Each text's translation, from the cache, from a request already under way, or from one engine call for the rest. */
  async #translateAll(translator: Translator, texts: string[], from: string, to: string): Promise<string[]> {
    const results: Promise<string>[] = [];
    const missing: { text: string; key: string; resolve: (t: string) => void; reject: (e: unknown) => void }[] = [];
    for (const text of texts) {
      const key = TranslationCache.key(text, from, to);
      const cached = this.#cache.get(key);
      if (cached !== undefined) {
        results.push(Promise.resolve(cached));
        continue;
      }
      let pending = this.#inFlight.get(key);
      if (!pending) {
        pending = new Promise<string>((resolve, reject) => missing.push({ text, key, resolve, reject }));
        this.#inFlight.set(key, pending);
      }
      results.push(pending);
    }
    if (missing.length > 0) {
      try {
        const out = await translator.translate(missing.map((m) => m.text), from, to);
        missing.forEach((m, i) => {
          this.#cache.set(m.key, out[i]!);
          m.resolve(out[i]!);
        });
      } catch (err) {
        for (const m of missing) m.reject(err);
      } finally {
        for (const m of missing) this.#inFlight.delete(m.key);
      }
    }
    try {
      return await Promise.all(results);
    } catch (err) {
      if (!(err instanceof TranslatorUnavailable)) throw err;
      log.warn({ provider: translator.name, from, to, err: err.message }, 'translation failed');
      throw new AppError('unavailable', 'Translation is unavailable right now; the original text is shown.');
    }
  }

  close(): Promise<void> {
    return this.#translator?.close() ?? Promise.resolve();
  }
}
