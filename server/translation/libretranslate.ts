import { z } from 'zod';
import { endpointFetch } from '../http/endpoint-fetch.ts';
import { logger } from '../log.ts';
import type { LanguagePair, Translator } from './translator.ts';
import { TranslatorUnavailable } from './translator.ts';

const log = logger('libretranslate');

export interface LibreTranslateOptions {
  /** The server's base URL, without a trailing slash (`…/translate` and `…/languages` are under it). */
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Requests in flight at once; more wait their turn. */
  maxConcurrent?: number;
  /** How often the language list is read again (sooner after a failed read). */
  refreshMs?: number;
}

const languagesReply = z.array(z.object({ code: z.string().max(16), targets: z.array(z.string().max(16)).max(500).default([]) })).max(500);
const translateReply = z.object({ translatedText: z.union([z.string(), z.array(z.string())]) });

/** Requests waiting for a free slot before more are refused at once. */
const MAX_WAITING = 100;

/** LibreTranslate's newer servers name Chinese by script; Hawker's "zh" is Simplified Chinese. */
const OURS: Record<string, string> = { 'zh-Hans': 'zh', 'zh-Hant': 'zh-TW', zt: 'zh-TW' };

/**
 * The LibreTranslate HTTP API (self-hosted or a service): `POST /translate` with a batch of texts,
 * `GET /languages` for the directions it offers. Its address and key stay on the server: failures
 * are logged without them and reach callers only as TranslatorUnavailable.
 */
export class LibreTranslateTranslator implements Translator {
  readonly name = 'libretranslate';
  readonly #opts: Required<Omit<LibreTranslateOptions, 'apiKey'>> & { apiKey?: string };
  #pairs: LanguagePair[] = [];
  /** Our code → the server's own, as its language list spells it. */
  #codes = new Map<string, string>();
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  #refresh: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(opts: LibreTranslateOptions) {
    this.#opts = {
      url: opts.url,
      apiKey: opts.apiKey,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxConcurrent: opts.maxConcurrent ?? 4,
      refreshMs: opts.refreshMs ?? 60 * 60_000
    };
  }

  /** Reads the server's languages once before returning (none if it does not answer; read again later). */
  static async start(opts: LibreTranslateOptions): Promise<LibreTranslateTranslator> {
    const t = new LibreTranslateTranslator(opts);
    await t.#readLanguages();
    return t;
  }

  pairs(): readonly LanguagePair[] {
    return this.#pairs;
  }

  async translate(texts: string[], from: string, to: string): Promise<string[]> {
    if (texts.length === 0) return [];
    const source = this.#codes.get(from);
    const target = this.#codes.get(to);
    if (!source || !target) throw new TranslatorUnavailable(`libretranslate offers no ${from}-${to}`);
    const body = { q: texts, source, target, format: 'text', ...(this.#opts.apiKey && { api_key: this.#opts.apiKey }) };
    const reply = translateReply.safeParse(await this.#call('/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const out = reply.success ? reply.data.translatedText : null;
    if (!Array.isArray(out) || out.length !== texts.length) throw new TranslatorUnavailable('libretranslate answered /translate with something else than one text per text');
    return out;
  }

  close(): Promise<void> {
    this.#closed = true;
    if (this.#refresh) clearTimeout(this.#refresh);
    return Promise.resolve();
  }

  async #readLanguages(): Promise<void> {
    let ok = false;
    try {
      // LibreTranslate lists its languages without a key; a key in a query string ends up in access logs.
      const list = languagesReply.parse(await this.#call('/languages', { method: 'GET' }));
      const codes = new Map(list.map((l) => [OURS[l.code] ?? l.code, l.code]));
      const ours = new Map([...codes].map(([o, t]) => [t, o]));
      this.#codes = codes;
      this.#pairs = list.flatMap((l) => l.targets.filter((t) => t !== l.code && ours.has(t)).map((t) => ({ from: ours.get(l.code)!, to: ours.get(t)! })));
      ok = true;
      log.info({ pairs: this.#pairs.length }, 'translation languages read');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'LibreTranslate’s languages could not be read; trying again in a minute');
    }
    if (this.#closed) return;
    this.#refresh = setTimeout(() => void this.#readLanguages(), ok ? this.#opts.refreshMs : Math.min(60_000, this.#opts.refreshMs));
    this.#refresh.unref();
  }

  /** One request, within the concurrency bound and the timeout; any failure becomes TranslatorUnavailable. */
  async #call(path: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<unknown> {
    await this.#turn();
    try {
      const res = await endpointFetch('the LibreTranslate server', `${this.#opts.url}${path}`, { ...init, timeoutMs: this.#opts.timeoutMs });
      if (!res.ok) throw new TranslatorUnavailable(`libretranslate ${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
      return JSON.parse(res.body);
    } catch (err) {
      if (err instanceof TranslatorUnavailable) throw err;
      throw new TranslatorUnavailable(`libretranslate ${path} failed: ${(err as Error).message}`);
    } finally {
      // The slot passes straight to the next waiting request, so none slips in between.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }

  async #turn(): Promise<void> {
    if (this.#active < this.#opts.maxConcurrent) {
      this.#active++;
      return;
    }
    if (this.#waiting.length >= MAX_WAITING) throw new TranslatorUnavailable('libretranslate busy: too many requests waiting');
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
}
