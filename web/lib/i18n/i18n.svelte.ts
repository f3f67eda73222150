import { getContext, setContext } from 'svelte';
import i18next, { type i18n as I18nextInstance, type TOptions } from 'i18next';
import en from './locales/en.json';
import ko from './locales/ko.json';
import zh from './locales/zh.json';
import { LOCALE_COOKIE, type Locale } from './locales';

const resources = { en: { translation: en }, ko: { translation: ko }, zh: { translation: zh } };

/**
 * UI text for one page tree. Created per request/page (never a module singleton, so SSR
 * never mixes two users' languages); reading `locale` inside `t` makes every string reactive.
 */
export class I18n {
  #locale = $state<Locale>('en');
  readonly #i18n: I18nextInstance;

  constructor(locale: Locale) {
    this.#locale = locale;
    this.#i18n = i18next.createInstance();
    // Resources are bundled, so initialisation is synchronous.
    void this.#i18n.init({ lng: locale, fallbackLng: 'en', resources, initAsync: false, interpolation: { escapeValue: false } });
  }

  get locale(): Locale {
    return this.#locale;
  }

  t = (key: string, options?: TOptions): string => {
    return this.#i18n.t(key, { ...options, lng: this.#locale });
  };

  /** Formats an epoch-ms time in the reader's language. */
  dateTime = (ms: number): string =>
    new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

  setLocale(locale: Locale): void {
    this.#locale = locale;
    document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
    document.documentElement.lang = locale;
  }
}

const key = Symbol('i18n');
export const provideI18n = (i18n: I18n) => setContext(key, i18n);
export const useI18n = () => getContext<I18n>(key);
