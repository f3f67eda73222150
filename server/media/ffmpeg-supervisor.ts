/**
 * Keeps one FFmpeg process running: restarts it with backoff when it exits, hands
 * each new process's output pipes (fd 3, 4, …) to `onSpawn` so a consumer can mark
 * the restart, and, when it has output pipes, restarts a process whose output stalls.
 * Used by the LL-HLS transcoder and the demo show's test-pattern source.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Logger } from '../log.ts';

export interface FfmpegRun {
  /** One stream per output pipe, fd 3 first. */
  readonly outputs: readonly Readable[];
  readonly pid: number | undefined;
  /** Ends this process (the supervisor then starts another), e.g. when its output is corrupt. */
  kill(): void;
}

export interface FfmpegSupervisorOptions {
  bin: string;
  /** Called before every spawn. */
  args: () => string[];
  /** How many output pipes (fd 3 onwards) the process writes; 0 for one that sends over the network. */
  outputs: number;
  onSpawn?: (run: FfmpegRun) => void;
  /** Once output has begun, a gap this long means a wedged process. */
  stallMs?: number;
  /** Longest wait for the first output (FFmpeg waits for a keyframe before it writes anything). */
  startTimeoutMs?: number;
  log: Logger;
}

/** Restart delays grow from this, doubling, up to MAX_BACKOFF_MS. */
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** A process that ran this long before failing starts the backoff over. */
const HEALTHY_RUN_MS = 30_000;
const KILL_GRACE_MS = 2000;

export class FfmpegSupervisor {
  readonly #o: Required<Omit<FfmpegSupervisorOptions, 'onSpawn'>> & Pick<FfmpegSupervisorOptions, 'onSpawn'>;
  #child: ChildProcess | null = null;
  #stopped = false;
  #failures = 0;
  #restarts = 0;
  #retry: NodeJS.Timeout | null = null;

  constructor(opts: FfmpegSupervisorOptions) {
    // `??`, not a spread: callers forward optional settings, and an undefined one must keep the default.
    this.#o = { ...opts, stallMs: opts.stallMs ?? 4000, startTimeoutMs: opts.startTimeoutMs ?? 15_000 };
  }

  /** Processes started after the first one. */
  get restarts(): number {
    return this.#restarts;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    if (this.#stopped || this.#child) return;
    const { bin, log } = this.#o;
    const startedAt = Date.now();
    const stdio = ['ignore', 'ignore', 'pipe', ...Array<'pipe'>(this.#o.outputs).fill('pipe')] as const;
    const child = spawn(bin, this.#o.args(), { stdio: [...stdio] });
    this.#child = child;
    const outputs = child.stdio.slice(3) as Readable[];

    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let lastOutput = 0;
    for (const out of outputs) out.on('data', () => (lastOutput = Date.now()));
    // Without output pipes there is nothing to watch: only an exit means trouble.
    const watchdog = setInterval(() => {
      if (outputs.length === 0) return;
      const now = Date.now();
      const stalled = lastOutput ? now - lastOutput > this.#o.stallMs : now - startedAt > this.#o.startTimeoutMs;
      if (!stalled) return;
      log.warn({ pid: child.pid, sinceOutputMs: lastOutput ? now - lastOutput : null }, 'ffmpeg output stalled; killing it');
      child.kill('SIGKILL');
    }, Math.min(500, this.#o.stallMs / 2));

    child.on('error', (err) => log.error({ err: err.message }, 'ffmpeg failed to start'));
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      this.#child = null;
      if (this.#stopped) return;
      if (Date.now() - startedAt > HEALTHY_RUN_MS) this.#failures = 0;
      const delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** this.#failures);
      this.#failures += 1;
      log.warn({ code, signal, stderr: stderr.trim().slice(-500), retryInMs: delay }, 'ffmpeg exited; restarting');
      this.#retry = setTimeout(() => {
        this.#retry = null;
        this.#restarts += 1;
        this.start();
      }, delay);
    });
    this.#o.onSpawn?.({ outputs, pid: child.pid, kill: () => child.kill('SIGKILL') });
  }

  /**
   * Stops for good: SIGTERM, then SIGKILL if FFmpeg lingers `graceMs`. FFmpeg blocked reading an input
   * that went quiet ignores its first signal and can flush nothing, so a caller whose input is gone passes 0.
   */
  stop(graceMs = KILL_GRACE_MS): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    const child = this.#child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
      child.once('close', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill(kill ? 'SIGTERM' : 'SIGKILL');
    });
  }
}
