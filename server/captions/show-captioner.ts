/**
 * One show's live captions: its audio tap feeds a speech stream through a PCM clock, and each
 * segment the engine returns becomes a cue on the wall clock, handed to the Captions domain. The
 * speech stream outlives FFmpeg restarts and producer changes (the clock fills the pause with
 * silence); only a long pause or the end starts a new one.
 */
import type { types } from 'mediasoup';
import type { Logger } from '../log.ts';
import { newId } from '../ids.ts';
import * as metrics from '../metrics/metrics.ts';
import type { CaptionCue } from '#shared/captions.ts';
import { AudioTap } from './audio-tap.ts';
import { PcmClock } from './pcm-clock.ts';
import type { SpeechSegment, SpeechStream, SpeechToText } from './engines/speech-to-text.ts';

/** Where cues go: the Captions domain passes interim ones on and stores final ones first. */
export interface CueSink {
  interim(cue: CaptionCue): void;
  final(cue: CaptionCue): Promise<void>;
}

export interface ShowCaptionerOptions {
  showId: string;
  language: string;
  engine: SpeechToText;
  sink: CueSink;
  ffmpegPath: string;
  log: Logger;
}

/** A speech stream with its own clock; its cue ids start with `key`, so a new one never reuses an id. */
interface Line {
  key: string;
  clock: PcmClock;
  stream: SpeechStream;
}

export class ShowCaptioner {
  readonly showId: string;
  readonly language: string;
  readonly #o: ShowCaptionerOptions;
  #line: Line | null = null;
  #tap: AudioTap | null = null;
  /** Source changes and the close run one at a time. */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(opts: ShowCaptionerOptions) {
    this.#o = opts;
    this.showId = opts.showId;
    this.language = opts.language;
  }

  /** The running tap, for tests and diagnostics. */
  get tap(): AudioTap | null {
    return this.#tap;
  }

  /** Listens to `producer` from now on (a new tap if it changed), or to nothing. */
  setSource(router: types.Router, producer: types.Producer | null): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#closed || this.#tap?.producer === producer) return;
      await this.#tap?.close();
      this.#tap = null;
      if (!producer || producer.closed) return;
      // The engine loads its model while FFmpeg starts, not while the first words wait.
      if (!this.#line) this.#open();
      this.#tap = await AudioTap.open(router, producer, { ffmpegPath: this.#o.ffmpegPath, log: this.#o.log, onPcm: (pcm) => this.#pcm(pcm) });
    });
  }

  /** Stops the tap, then lets the engine finish its last utterance (its final cue is still stored). Never rejects. */
  close(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#closed) return;
      this.#closed = true;
      await this.#tap?.close();
      this.#tap = null;
      const line = this.#line;
      this.#line = null;
      await line?.stream.close();
    }).catch((err: unknown) => this.#o.log.error({ err }, 'closing captions failed'));
  }

  /** Runs `task` after those before it; a failure is the caller's to handle and does not stop the queue. */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #pcm(pcm: Buffer): void {
    if (this.#closed) return;
    let line = this.#line ?? this.#open();
    let step = line.clock.push(pcm.length, Date.now());
    if (step.restart) {
      this.#o.log.info('long pause in the audio; new speech stream');
      line.stream.close().catch((err: unknown) => this.#o.log.warn({ err }, 'closing a speech stream failed'));
      line = this.#open();
      step = line.clock.push(pcm.length, Date.now());
    }
    if (!step.restart && step.silenceBytes > 0) line.stream.write(Buffer.alloc(step.silenceBytes));
    line.stream.write(pcm);
  }

  #open(): Line {
    const { engine, language, log } = this.#o;
    const key = newId().slice(0, 12);
    const clock = new PcmClock();
    const stream = engine.open({
      language,
      onSegment: (s) => this.#segment(key, clock, s),
      onError: (err) => log.warn({ err: err.message }, 'speech recognition trouble')
    });
    this.#line = { key, clock, stream };
    return this.#line;
  }

  #segment(key: string, clock: PcmClock, s: SpeechSegment): void {
    const cue: CaptionCue = {
      id: `${key}-${s.utterance}`,
      showId: this.showId,
      text: s.text,
      final: s.final,
      language: this.language,
      startAt: clock.at(s.startMs),
      endAt: clock.at(Math.max(s.startMs, s.endMs))
    };
    metrics.captionCues.inc({ kind: s.final ? 'final' : 'interim' });
    if (!s.final) return this.#o.sink.interim(cue);
    this.#o.sink.final(cue).catch((err: unknown) => this.#o.log.error({ err }, 'storing a caption failed'));
  }
}
