/**
 * One show's captions from an OpenAI-compatible endpoint. The audio goes out in 3 s windows that
 * start every 2 s: the 1 s both windows hear lets a word cut at one window's edge come whole in the
 * other and lets TranscriptMerger line the two transcripts up, while a word waits at most ~2 s (plus
 * the request) before it is sent. Shorter windows give the model too little context to be right;
 * longer hops make captions later. One request is in flight at a time: a window that falls due
 * meanwhile waits, and the next request covers everything since (up to 8 s, beyond which the oldest
 * audio is dropped), so a slow endpoint makes captions coarser, never later and later. Silent
 * windows are not sent (models invent text for silence); a failed request loses its window only.
 */
import type { Logger } from '../../../log.ts';
import { guardedListeners, PCM_BYTES_PER_MS, type SpeechSegment, type SpeechStream, type SpeechStreamOptions } from '../speech-to-text.ts';
import { wavFromPcm } from '../wav.ts';
import { TranscriptMerger, type MergedSegment } from './transcript-merger.ts';
import { transcribe, type TranscriptionEndpoint } from './transcription-request.ts';

const WINDOW_MS = 3000;
const OVERLAP_MS = 1000;
const MAX_WINDOW_MS = 8000;
/** Unsent audio shorter than this at close is not worth a request. */
const MIN_TAIL_MS = 300;
/** Below this RMS (about -50 dBFS) a window is silence. */
const SILENCE_RMS = 100;

export interface EndpointStreamOptions extends SpeechStreamOptions {
  endpoint: TranscriptionEndpoint;
  log: Logger;
}

export class EndpointStream implements SpeechStream {
  readonly #o: EndpointStreamOptions;
  readonly #merger: TranscriptMerger;
  readonly #listeners: ReturnType<typeof guardedListeners>;
  /** PCM not yet behind the next window's start, beginning at byte #chunksFrom of the stream. */
  #chunks: Buffer[] = [];
  #chunksFrom = 0;
  #written = 0;
  /** Next window's start and the last window's end, in ms of the stream. */
  #start = 0;
  #lastEnd = 0;
  #utterance = 0;
  #inFlight: Promise<void> | null = null;
  #closing: Promise<void> | null = null;

  constructor(o: EndpointStreamOptions) {
    this.#o = o;
    this.#listeners = guardedListeners(o, o.log);
    this.#merger = new TranscriptMerger(o.language, OVERLAP_MS);
  }

  write(pcm: Buffer): void {
    if (this.#closing) return;
    this.#chunks.push(pcm);
    this.#written += pcm.length;
    this.#pump();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#inFlight;
      const end = this.#writtenMs();
      if (end - this.#lastEnd >= MIN_TAIL_MS) await this.#window(this.#start, end);
      this.#emit(this.#merger.flush());
      this.#chunks = [];
    })();
    return this.#closing;
  }

  #writtenMs(): number {
    return Math.floor(this.#written / PCM_BYTES_PER_MS);
  }

  #pump(): void {
    if (this.#closing || this.#inFlight) return;
    const end = this.#writtenMs();
    if (end - this.#start < WINDOW_MS) return;
    let start = this.#start;
    if (end - start > MAX_WINDOW_MS) {
      start = end - MAX_WINDOW_MS;
      this.#o.log.warn({ droppedMs: start - this.#start }, 'transcription endpoint too slow; audio dropped');
      // The audio no longer joins up: end the utterance and align against nothing.
      this.#emit(this.#merger.flush(true));
      this.#lastEnd = start;
    }
    this.#inFlight = this.#window(start, end).finally(() => {
      this.#inFlight = null;
      this.#pump();
    });
  }

  async #window(start: number, end: number): Promise<void> {
    const pcm = this.#slice(start, end);
    const overlapMs = Math.max(0, this.#lastEnd - start);
    this.#start = end - OVERLAP_MS;
    this.#lastEnd = end;
    this.#trim();
    const window = { startMs: start, endMs: end, overlapMs, overlapSilent: overlapMs === 0 || isSilent(pcm.subarray(0, overlapMs * PCM_BYTES_PER_MS)) };
    if (isSilent(pcm)) {
      this.#emit(this.#merger.push({ ...window, text: '' }));
      return;
    }
    try {
      const text = await transcribe(this.#o.endpoint, wavFromPcm(pcm), this.#o.language);
      this.#emit(this.#merger.push({ ...window, text }));
    } catch (err) {
      this.#report(err as Error);
    }
  }

  #slice(startMs: number, endMs: number): Buffer {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, startMs * PCM_BYTES_PER_MS - this.#chunksFrom), endMs * PCM_BYTES_PER_MS - this.#chunksFrom);
  }

  /** Forgets the audio before the next window. */
  #trim(): void {
    const keepFrom = this.#start * PCM_BYTES_PER_MS;
    while (this.#chunks.length && this.#chunksFrom + this.#chunks[0]!.length <= keepFrom) this.#chunksFrom += this.#chunks.shift()!.length;
  }

  #emit(segments: MergedSegment[]): void {
    for (const s of segments) {
      const segment: SpeechSegment = { utterance: this.#utterance, ...s };
      if (s.final) this.#utterance += 1;
      this.#listeners.segment(segment);
    }
  }

  #report(err: Error): void {
    this.#o.log.warn({ err: err.message }, 'transcription request failed');
    this.#listeners.error(err);
  }
}

function isSilent(pcm: Buffer): boolean {
  let sum = 0;
  const samples = Math.floor(pcm.length / 2);
  for (let i = 0; i < samples; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return samples === 0 || Math.sqrt(sum / samples) < SILENCE_RMS;
}
