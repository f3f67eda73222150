/**
 * The speech-to-text seam: a provider turns one show's audio (16 kHz mono s16le PCM) into timed
 * text segments, interim and final. The captions pipeline owns the audio tap and the cues; a
 * provider owns only recognition. `speechToTextFromConfig` (from-config.ts) picks the configured one.
 */
import type { CaptionProvider } from '#shared/captions.ts';
import type { Logger } from '../../log.ts';

/** Sample format every provider takes. */
export const PCM_SAMPLE_RATE = 16_000;
export const PCM_BYTES_PER_MS = (PCM_SAMPLE_RATE * 2) / 1000;

export interface SpeechSegment {
  /** Counts utterances from 0 within one stream; interim segments of one utterance replace each other. */
  utterance: number;
  text: string;
  /**
   * The last segment of its utterance: its text will not change again. A final's text may be empty
   * when what showed as interim text turned out to be noise: it only clears that utterance.
   */
  final: boolean;
  /** Offsets in the PCM written so far to this stream. */
  startMs: number;
  endMs: number;
}

export interface SpeechStream {
  /** 16 kHz mono s16le PCM, any chunk size. */
  write(pcm: Buffer): void;
  /** Flushes what it can (a last final segment), then frees the stream; idempotent. */
  close(): Promise<void>;
}

export interface SpeechStreamOptions {
  /** A code from `languages()`, e.g. `en`. */
  language: string;
  onSegment: (segment: SpeechSegment) => void;
  /** Recognition trouble the stream carries on through (a failed request, a restarted process). */
  onError?: (err: Error) => void;
}

export interface SpeechToText {
  readonly name: CaptionProvider;
  /** Spoken languages this provider takes (ISO 639-1 codes). */
  languages(): readonly string[];
  open(options: SpeechStreamOptions): SpeechStream;
}

/** A stream's listeners, each call guarded: one that throws is logged and the stream carries on. */
export function guardedListeners(o: SpeechStreamOptions, log: Logger): { segment: (s: SpeechSegment) => void; error: (err: Error) => void } {
  return {
    segment: (s) => {
      try {
        o.onSegment(s);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'caption listener threw');
      }
    },
    error: (err) => {
      try {
        o.onError?.(err);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'caption error listener threw');
      }
    }
  };
}
