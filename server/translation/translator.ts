/**
 * What chat translation runs on: a provider that translates a batch of texts from one language to
 * another, and says which directions it can do. Languages are ISO 639-1 codes where one exists
 * ("en", "es"), as the rest of Hawker names them.
 */
import type { TranslationProvider } from '#shared/translation.ts';

export interface LanguagePair {
  from: string;
  to: string;
}

export interface Translator {
  readonly name: TranslationProvider;
  /** The directions it translates now (a remote provider's list as last read). */
  pairs(): readonly LanguagePair[];
  /** The texts' translations, in order; rejects with TranslatorUnavailable when the engine cannot answer. */
  translate(texts: string[], from: string, to: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The engine did not answer: down, busy, timed out or refusing. The message is for the log only;
 * it may name the engine's address, so it never reaches a client.
 */
export class TranslatorUnavailable extends Error {
  override readonly name = 'TranslatorUnavailable';
}
