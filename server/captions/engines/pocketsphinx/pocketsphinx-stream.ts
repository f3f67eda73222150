/**
 * One show's PocketSphinx recogniser: a supervised sphinx-stream process fed PCM on stdin, its JSON
 * lines turned into segments. A process that dies is replaced after a backoff; its successor's times
 * and utterance numbers continue where the stream is, and an utterance it left open is closed with
 * the last text it showed. Audio arriving while the process is more than 3 s behind is dropped until it
 * catches up (restarting it instead would cost a model load, seconds on a busy machine); its clock is
 * mapped back to the stream's across each gap. FfmpegSupervisor is not reused: it gives the child no stdin, and it treats
 * quiet output as a hang, while this program is rightly quiet through every silence.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../../log.ts';
import { guardedListeners, PCM_BYTES_PER_MS, type SpeechSegment, type SpeechStream, type SpeechStreamOptions } from '../speech-to-text.ts';
import { parseSphinxLine, type SphinxLine } from './sphinx-lines.ts';

/** Restart delays double from this up to MAX_BACKOFF_MS. */
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** A process that ran this long before failing starts the count over. */
const HEALTHY_RUN_MS = 30_000;
/** Failures in a row after which the stream stops trying (a broken install, not a bad moment). */
const MAX_FAILURES = 6;
/** Audio is dropped while this much waits for the process, until less than RESUME_BACKLOG_MS does. */
const MAX_BACKLOG_MS = 3000;
const RESUME_BACKLOG_MS = 500;
/** At close the process decodes what it was sent (up to the backlog limit) and prints its last final; a stuck one is killed. */
const CLOSE_GRACE_MS = 5000;

type SphinxChild = ChildProcessByStdio<Writable, Readable, Readable>;

export interface PocketSphinxStreamOptions extends SpeechStreamOptions {
  bin: string;
  args: string[];
  log: Logger;
}

export class PocketSphinxStream implements SpeechStream {
  readonly #o: PocketSphinxStreamOptions;
  readonly #listeners: ReturnType<typeof guardedListeners>;
  #child: SphinxChild | null = null;
  #closed = false;
  #gaveUp = false;
  #retry: NodeJS.Timeout | null = null;
  #failures = 0;
  /** PCM bytes written to this stream, fed or dropped (whole samples). */
  #written = 0;
  /** A byte of a sample split between two writes. */
  #carry: Buffer | null = null;
  /** PCM bytes fed to the running process. */
  #fed = 0;
  #dropping = false;
  /** Points where the running process's clock (ms of PCM it was fed) meets the stream's, oldest first. */
  #clock: { fedMs: number; streamMs: number }[] = [];
  /** The stream's number for the running process's utterance 0. */
  #uttBase = 0;
  #nextUtt = 0;
  /** The running process's utterance that has shown interim text but no final yet. */
  #open: SpeechSegment | null = null;

  constructor(o: PocketSphinxStreamOptions) {
    this.#o = o;
    this.#listeners = guardedListeners(o, o.log);
    this.#spawn();
  }

  write(pcm: Buffer): void {
    if (this.#closed || this.#gaveUp) return;
    if (this.#carry) pcm = Buffer.concat([this.#carry, pcm]);
    this.#carry = pcm.length % 2 ? pcm.subarray(pcm.length - 1) : null;
    if (this.#carry) pcm = pcm.subarray(0, pcm.length - 1);
    const at = this.#written;
    this.#written += pcm.length;
    const child = this.#child;
    if (!child || !child.stdin.writable) return;
    const backlog = child.stdin.writableLength;
    if (!this.#dropping && backlog > MAX_BACKLOG_MS * PCM_BYTES_PER_MS) {
      this.#dropping = true;
      this.#o.log.warn({ backlogMs: Math.round(backlog / PCM_BYTES_PER_MS) }, 'recogniser fell behind; dropping audio until it catches up');
    } else if (this.#dropping && backlog < RESUME_BACKLOG_MS * PCM_BYTES_PER_MS) {
      this.#dropping = false;
      this.#clock.push({ fedMs: this.#fed / PCM_BYTES_PER_MS, streamMs: at / PCM_BYTES_PER_MS });
    }
    if (this.#dropping) return;
    child.stdin.write(pcm);
    this.#fed += pcm.length;
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    const child = this.#child;
    if (!child) {
      this.#closeOpenUtterance();
      return Promise.resolve();
    }
    // End of input makes the program print its last final and exit; a stuck one is killed.
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(kill);
        resolve();
      });
      child.stdin.end();
    });
  }

  #spawn(): void {
    const { bin, args, log } = this.#o;
    const startedAt = Date.now();
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#fed = 0;
    this.#dropping = false;
    this.#clock = [{ fedMs: 0, streamMs: this.#written / PCM_BYTES_PER_MS }];
    this.#uttBase = this.#nextUtt;
    this.#open = null;

    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    // A process that dies mid-write would otherwise throw EPIPE at us; its exit is handled below.
    child.stdin.on('error', () => {});
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseSphinxLine(line);
      if (parsed) this.#onLine(parsed);
      else log.warn({ line: line.slice(0, 200) }, 'recogniser wrote a line that is not a result');
    });
    child.on('error', (err) => log.error({ err: err.message }, 'recogniser failed to start'));
    child.on('close', (code, signal) => {
      this.#child = null;
      this.#closeOpenUtterance();
      if (this.#closed) return;
      if (Date.now() - startedAt > HEALTHY_RUN_MS) this.#failures = 0;
      this.#failures += 1;
      if (this.#failures >= MAX_FAILURES) {
        this.#gaveUp = true;
        log.error({ code, signal, stderr: stderr.trim() }, 'recogniser keeps failing; captions stop for this stream');
        this.#listeners.error(new Error(`the recogniser failed ${this.#failures} times in a row; captions stopped`));
        return;
      }
      const delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (this.#failures - 1));
      log.warn({ code, signal, stderr: stderr.trim(), retryInMs: delay }, 'recogniser exited; restarting');
      this.#listeners.error(new Error(`the recogniser exited (${signal ?? `code ${code}`}); restarting`));
      this.#retry = setTimeout(() => {
        this.#retry = null;
        if (!this.#closed) this.#spawn();
      }, delay);
    });
  }

  /** A time on the running process's clock as a time on the stream's. */
  #streamMs(fedMs: number): number {
    let point = this.#clock[0]!;
    for (const p of this.#clock) if (p.fedMs <= fedMs) point = p;
    return Math.round(point.streamMs + fedMs - point.fedMs);
  }

  #onLine(line: SphinxLine): void {
    const utterance = this.#uttBase + line.utt;
    this.#nextUtt = Math.max(this.#nextUtt, utterance + 1);
    const segment: SpeechSegment = {
      utterance,
      text: line.text,
      final: line.final,
      startMs: this.#streamMs(line.startMs),
      endMs: this.#streamMs(line.endMs)
    };
    this.#open = line.final ? null : segment;
    this.#listeners.segment(segment);
  }

  /** A process gone mid-utterance leaves its last interim text as that utterance's final. */
  #closeOpenUtterance(): void {
    const open = this.#open;
    this.#open = null;
    if (open) this.#listeners.segment({ ...open, final: true });
  }
}
