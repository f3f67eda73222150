import type { Config } from '../config.ts';
import { ApertiumTranslator } from './apertium.ts';
import { LibreTranslateTranslator } from './libretranslate.ts';
import type { Translator } from './translator.ts';

/** The configured provider, ready (its languages read), or null when translation is off. */
export async function translatorFromConfig(config: Config['translation']): Promise<Translator | null> {
  switch (config.provider) {
    case 'apertium':
      return ApertiumTranslator.discover({ dataDir: config.apertiumDataDir });
    case 'libretranslate':
      return LibreTranslateTranslator.start({ url: config.endpoint!.url, apiKey: config.endpoint!.key });
    case 'off':
      return null;
  }
}
