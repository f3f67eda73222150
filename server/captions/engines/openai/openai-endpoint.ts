/** Captions from any OpenAI-compatible transcription endpoint (OpenAI, whisper.cpp's server, faster-whisper servers). */
import type { Logger } from '../../../log.ts';
import type { SpeechStream, SpeechStreamOptions, SpeechToText } from '../speech-to-text.ts';
import { EndpointStream } from './endpoint-stream.ts';
import type { TranscriptionEndpoint } from './transcription-request.ts';

/**
 * Languages offered with an endpoint: widely spoken ones Whisper-family models transcribe well.
 * The endpoint is the judge; these are what the studio lists.
 */
export const ENDPOINT_LANGUAGES = ['en', 'ko', 'zh', 'ja', 'es', 'fr', 'de', 'it', 'pt', 'ru', 'vi', 'th', 'id', 'ar', 'hi', 'tr'] as const;

export class OpenAiEndpoint implements SpeechToText {
  readonly name = 'openai';
  readonly #endpoint: TranscriptionEndpoint;
  readonly #log: Logger;

  constructor(o: { endpoint: TranscriptionEndpoint; log: Logger }) {
    this.#endpoint = o.endpoint;
    this.#log = o.log;
  }

  languages(): readonly string[] {
    return ENDPOINT_LANGUAGES;
  }

  open(o: SpeechStreamOptions): SpeechStream {
    return new EndpointStream({ ...o, endpoint: this.#endpoint, log: this.#log });
  }
}
