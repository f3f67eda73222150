import type { CaptionSettingsDto, UpdateCaptionSettingsInput } from '$shared/captions';

/** Languages buyers ask for that only a transcription endpoint covers (the embedded engine is English only). */
export const ENDPOINT_ONLY_LANGUAGES = ['ko', 'zh'] as const;

export interface CaptionSettingsApi {
  get(): Promise<CaptionSettingsDto>;
  put(input: UpdateCaptionSettingsInput): Promise<CaptionSettingsDto>;
}

/**
 * The studio's caption setting for one show: on or off, and the language the host speaks, from
 * those the server's speech engine transcribes. Each change is saved at once; the server's answer
 * is what shows, so a refused change snaps back.
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

  /** Korean and Chinese when the server cannot caption them (no endpoint configured), for the studio to say so. */
  get needsEndpoint(): readonly string[] {
    const offered = this.#dto?.languages ?? [];
    return ENDPOINT_ONLY_LANGUAGES.filter((l) => !offered.includes(l));
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

  setLanguage(language: string): Promise<void> {
    return this.#save({ language });
  }

  async #save(input: UpdateCaptionSettingsInput): Promise<void> {
    this.#saving = true;
    try {
      this.#dto = await this.#api.put(input);
      this.#error = null;
    } catch (err) {
      this.#error = err;
      // A fresh object, so the controls redraw from what the server holds.
      if (this.#dto) this.#dto = { ...this.#dto };
    } finally {
      this.#saving = false;
    }
  }
}
