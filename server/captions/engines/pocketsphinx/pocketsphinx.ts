/**
 * The embedded English recogniser: CMU PocketSphinx with Debian's US English model, one
 * sphinx-stream process per show (built by scripts/captions/build-sphinx.sh).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../../log.ts';
import type { SpeechStream, SpeechStreamOptions, SpeechToText } from '../speech-to-text.ts';
import { PocketSphinxStream } from './pocketsphinx-stream.ts';

export const SPHINX_BIN = path.resolve(import.meta.dirname, '../../../../build-native/sphinx-stream');
export const SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/**
 * Tuned for captions, where a word shown late is worth little: 0.3 s of silence ends an utterance
 * (default 0.5 s) so finals come sooner; 0.2 s of sound is kept from before the detector fired so
 * first syllables are not clipped; at most 3000 HMMs per frame and a 10-frame phone lookahead cut
 * the CPU by about a quarter with the same word error rate on the test speech.
 */
export function sphinxArgs(modelDir = SPHINX_MODEL_DIR): string[] {
  return [
    ...['-hmm', path.join(modelDir, 'en-us')],
    ...['-lm', path.join(modelDir, 'en-us.lm.bin')],
    ...['-dict', path.join(modelDir, 'cmudict-en-us.dict')],
    ...['-vad_postspeech', '30', '-vad_prespeech', '20'],
    ...['-maxhmmpf', '3000', '-pl_window', '10'],
    ...['-logfn', '/dev/null']
  ];
}

/** What the embedded engine needs on disk, or why it cannot run. */
export function pocketSphinxMissing(bin = SPHINX_BIN, modelDir = SPHINX_MODEL_DIR): string | null {
  if (!existsSync(bin)) return `${path.basename(bin)} is not built (run scripts/captions/build-sphinx.sh)`;
  if (!existsSync(path.join(modelDir, 'en-us.lm.bin'))) return 'the English model is missing (apt-get install pocketsphinx-en-us)';
  return null;
}

export class PocketSphinx implements SpeechToText {
  readonly name = 'pocketsphinx';
  readonly #bin: string;
  readonly #args: string[];
  readonly #log: Logger;

  constructor(o: { log: Logger; bin?: string; modelDir?: string }) {
    this.#bin = o.bin ?? SPHINX_BIN;
    this.#args = sphinxArgs(o.modelDir);
    this.#log = o.log;
  }

  languages(): readonly string[] {
    return ['en'];
  }

  open(o: SpeechStreamOptions): SpeechStream {
    if (o.language !== 'en') throw new Error(`PocketSphinx speaks English only, not ${o.language}`);
    return new PocketSphinxStream({ bin: this.#bin, args: this.#args, log: this.#log, ...o });
  }
}
