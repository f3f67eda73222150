import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../log.ts';

/**
 * Keeps one FFmpeg child running: restarts it with backoff when it exits and
 * stops it with SIGTERM then SIGKILL (FFmpeg ignores SIGINT while blocked on UDP).
 */
export class SupervisedFfmpeg {
  readonly #bin: string;
  readonly #args: () => string[];
  readonly #log: Logger;
  #child: ChildProcess | null = null;
  #stopped = false;
  #restarts = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: { bin: string; args: () => string[]; log: Logger }) {
    this.#bin = opts.bin;
    this.#args = opts.args;
    this.#log = opts.log;
  }

  get restarts(): number {
    return this.#restarts;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    if (this.#stopped || this.#child) return;
    const startedAt = Date.now();
    const child = spawn(this.#bin, this.#args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('error', (err) => this.#log.error({ err: err.message }, 'ffmpeg failed to start'));
    child.on('exit', (code, signal) => {
      this.#child = null;
      if (this.#stopped) return;
      // A process that ran a while before failing starts over with a short delay.
      if (Date.now() - startedAt > 30_000) this.#restarts = 0;
      const delay = Math.min(10_000, 500 * 2 ** this.#restarts);
      this.#restarts += 1;
      this.#log.warn({ code, signal, stderr: stderr.trim().slice(-500), retryInMs: delay }, 'ffmpeg exited; restarting');
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.start();
      }, delay);
    });
  }

  stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const child = this.#child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
