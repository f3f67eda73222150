import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../log.ts';
import { fromStream, splitFlushed, toStream } from './apertium-stream.ts';
import { TranslatorUnavailable } from './translator.ts';

interface Pending {
  resolve: (text: string) => void;
  reject: (err: Error) => void;
}

export interface PipelineOptions {
  /** The shell pipeline of one direction in null-flush mode (`apertium-wblank-mode -z` of its mode file). */
  command: string;
  log: Logger;
  /** A batch not translated by then fails, and the pipeline is restarted: its order can no longer be trusted. */
  timeoutMs: number;
  /** How long a new pipeline may take to load its dictionaries before its first translation (seconds on a busy machine). */
  startTimeoutMs: number;
  /** Texts written and not yet translated; a batch beyond it is refused at once rather than kept waiting. */
  maxQueued: number;
  /** A pipeline idle this long is stopped; the next text starts it again. */
  idleMs: number;
}

/** Deaths within a minute after which the pipeline rests, refusing texts, before it is started again. */
const CRASHES_BEFORE_REST = 3;
const REST_MS = 30_000;

/**
 * One direction of an Apertium pair as a supervised long-lived process group: texts are written one
 * after another and their translations read back in the same order. A pipeline that dies or stalls
 * fails what it held and is started again on the next text; one that keeps dying rests a while.
 */
export class ApertiumPipeline {
  readonly #opts: PipelineOptions;
  #child: ChildProcess | null = null;
  /** Settles when the running pipeline has answered its first (empty) text: it is loaded. */
  #ready: Promise<unknown> = Promise.resolve();
  #pending: Pending[] = [];
  #buffered = '';
  #crashes: number[] = [];
  #restingUntil = 0;
  #idle: NodeJS.Timeout | null = null;
  #closed = false;
  #starts = 0;

  constructor(opts: PipelineOptions) {
    this.#opts = opts;
  }

  /** Processes started so far (a restart adds one). */
  get starts(): number {
    return this.#starts;
  }

  async translate(texts: readonly string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    if (this.#closed) throw new TranslatorUnavailable('apertium pipeline closed');
    if (Date.now() < this.#restingUntil) throw new TranslatorUnavailable('apertium pipeline keeps failing; resting');
    if (this.#pending.length + texts.length > this.#opts.maxQueued) throw new TranslatorUnavailable('apertium queue full');
    const child = this.#running();
    const ready = this.#ready;
    const results = Promise.all(texts.map(() => new Promise<string>((resolve, reject) => this.#pending.push({ resolve, reject }))));
    results.catch(() => {}); // awaited below, once the pipeline is loaded
    child.stdin!.write(texts.map(toStream).join(''));
    try {
      // The clock for the batch starts once the pipeline is loaded: loading is not stalling.
      await this.#within(child, ready, this.#opts.startTimeoutMs, 'to start');
      return await this.#within(child, results, this.#opts.timeoutMs, '');
    } finally {
      this.#armIdle();
    }
  }

  /** `work`, or a failure after `ms`, when the pipeline is restarted: its order can no longer be trusted. */
  async #within<T>(child: ChildProcess, work: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new TranslatorUnavailable(`apertium took over ${ms} ms${what ? ` ${what}` : ''}`));
        // Only if this pipeline is still the one written to: a restarted one owes this batch nothing.
        if (this.#child === child) this.#fail(child, 'stalled');
      }, ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the process group for good; texts waiting fail. */
  close(): void {
    this.#closed = true;
    if (this.#child) this.#fail(this.#child, 'closed');
  }

  #running(): ChildProcess {
    if (this.#child) return this.#child;
    this.#starts++;
    // Its own process group, so a stop takes every stage of the pipeline, not only the shell.
    const child = spawn('bash', ['-c', this.#opts.command, 'apertium', '-n', ''], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.#child = child;
    this.#buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.#read(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (line: string) => this.#opts.log.warn({ pid: child.pid }, `apertium: ${line.trim().slice(0, 300)}`));
    child.stdin!.on('error', () => {}); // a dead pipeline is reported by 'exit'
    child.on('error', (err) => this.#died(child, err.message));
    child.on('exit', (code, signal) => this.#died(child, `exited (${signal ?? code})`));
    this.#ready = new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
    this.#ready.catch(() => {}); // a batch waiting on it reports the failure
    child.stdin!.write(toStream(''));
    return child;
  }

  #read(chunk: string): void {
    const { done, rest } = splitFlushed(this.#buffered + chunk);
    this.#buffered = rest;
    for (const out of done) this.#pending.shift()?.resolve(fromStream(out));
  }

  #died(child: ChildProcess, why: string): void {
    if (this.#child !== child) return;
    if (!this.#closed) {
      this.#opts.log.warn({ pid: child.pid }, `apertium pipeline ${why}`);
      const now = Date.now();
      this.#crashes = [...this.#crashes.filter((t) => t > now - 60_000), now];
      if (this.#crashes.length >= CRASHES_BEFORE_REST) this.#restingUntil = now + REST_MS;
    }
    this.#fail(child, why);
  }

  /** Ends the process group and fails every text it held. */
  #fail(child: ChildProcess, why: string): void {
    if (this.#child === child) this.#child = null;
    if (this.#idle) clearTimeout(this.#idle);
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) p.reject(new TranslatorUnavailable(`apertium pipeline ${why}`));
  }

  #armIdle(): void {
    if (this.#idle) clearTimeout(this.#idle);
    if (this.#pending.length > 0 || !this.#child) return;
    const child = this.#child;
    this.#idle = setTimeout(() => this.#pending.length === 0 && this.#fail(child, 'idle'), this.#opts.idleMs);
    this.#idle.unref();
  }
}
