import type { CaptionSettingsDto, UpdateCaptionSettingsInput } from '$shared/captions';

/** Languages buyers ask for that only a transcription endpoint covers (the embedded engine is English only). */
const ENDPOINT_ONLY_LANGUAGES = ['ko', 'zh'] as const;

/**
 * Languages a host may say the show is spoken in, captioned or not: chat translation starts from it.
 * The engine's own languages are offered as well.
 */
const SHOW_LANGUAGES = ['en', 'ko', 'zh', 'ja', 'es', 'fr', 'de', 'it', 'pt', 'ru', 'vi', 'th', 'id', 'ar', 'hi', 'tr', 'nl', 'pl'] as const;

export interface CaptionSettingsApi {
  get(): Promise<CaptionSettingsDto>;
  put(input: UpdateCaptionSettingsInput): Promise<CaptionSettingsDto>;
}

/**
 * The studio's caption setting for one show: the language the host speaks (any of SHOW_LANGUAGES;
 * chat translation starts from it) and captions on or off, which only a language the server's
 * speech engine transcribes allows. Each change is saved at once and the server's answer is kept,
 * so a refused change leaves the settings as they were.
 */
export class CaptionSettings {
  #dto = $state<CaptionSettingsDto | null>(null);
  #saving = $state(false);
  #error = $state<unknown>(null);
  readonly #api: CaptionSettingsApi;

  constructor(api: CaptionSettingsApi) {
    this.#api = api;
  }

  get settings(): CaptionSettingsDto | null {
    return this.#dto;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get error(): unknown {
    return this.#error;
  }

  /** Whether this server transcribes speech at all. */
  get available(): boolean {
    return this.#dto?.provider != null;
  }

  /** The languages the host may pick: the usual ones, then the engine's, then the show's current one if neither lists it. */
  get languages(): string[] {
    return [...new Set([...SHOW_LANGUAGES, ...(this.#dto?.languages ?? []), ...(this.#dto ? [this.#dto.language] : [])])];
  }

  /** Whether captions can be turned on: the engine transcribes the show's language. */
  get canCaption(): boolean {
    return this.available && this.#offers(this.#dto!.language);
  }

  /**
   * Korean, Chinese and the show's language when the engine cannot caption them (no endpoint
   * configured), for the studio to say so.
   */
  get needsEndpoint(): readonly string[] {
    if (!this.#dto || !this.available) return [];
    return [...new Set([...ENDPOINT_ONLY_LANGUAGES, this.#dto.language])].filter((l) => !this.#offers(l));
  }

  async load(): Promise<void> {
    try {
      this.#dto = await this.#api.get();
      this.#error = null;
    } catch (err) {
      this.#error = err;
    }
  }

  setEnabled(enabled: boolean): Promise<void> {
    return this.#save({ enabled });
  }

  /** Captions on in a language the engine lacks would be refused, so they go off with the change. */
  setLanguage(language: string): Promise<void> {
    return this.#save(this.#dto?.enabled && !this.#offers(language) ? { language, enabled: false } : { language });
  }

  #offers(language: string): boolean {
    return this.#dto?.languages.includes(language) ?? false;
  }

  async #save(input: UpdateCaptionSettingsInput): Promise<void> {
    this.#saving = true;
    try {
      this.#dto = await this.#api.put(input);
      this.#error = null;
    } catch (err) {
      this.#error = err;
    } finally {
      this.#saving = false;
    }
  }
}
