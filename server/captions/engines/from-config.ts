/** The speech-to-text provider the configuration names, or null when captions are off or cannot run. */
import type { Config } from '../../config.ts';
import { logger } from '../../log.ts';
import { OpenAiEndpoint } from './openai/openai-endpoint.ts';
import { PocketSphinx, pocketSphinxMissing } from './pocketsphinx/pocketsphinx.ts';
import type { SpeechToText } from './speech-to-text.ts';

export function speechToTextFromConfig(config: Pick<Config, 'captions'>): SpeechToText | null {
  const { provider, endpoint } = config.captions;
  const log = logger('captions').child({ provider });
  if (provider === 'openai' && endpoint) return new OpenAiEndpoint({ endpoint, log });
  if (provider !== 'pocketsphinx') return null;
  // A server without the embedded engine still serves shows, without captions, and says why.
  const missing = pocketSphinxMissing();
  if (missing) {
    log.warn({ reason: missing }, 'captions are off: the embedded engine cannot run');
    return null;
  }
  return new PocketSphinx({ log });
}
