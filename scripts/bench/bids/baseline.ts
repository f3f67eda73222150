/** Runs the bare ws broadcast server (baseline-server.ts) as its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

const entry = new URL('./baseline-server.ts', import.meta.url).pathname;

export class Baseline {
  readonly process: ChildProcess;
  readonly url: string;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcess, url: string, lines: AsyncIterator<string>) {
    this.process = child;
    this.url = url;
    this.#lines = lines;
  }

  static async start(): Promise<Baseline> {
    const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error('baseline server exited before listening');
    const { port } = JSON.parse(first.value) as { port: number };
    return new Baseline(child, `ws://127.0.0.1:${port}/ws`, lines);
  }

  /** Broadcasts events for `seconds`; resolves with the last seq once the last one is sent. */
  async broadcast(opts: { eventsPerSec: number; eventBytes: number; tickMs: number; seconds: number }): Promise<number> {
    this.process.stdin!.write(`${JSON.stringify({ start: opts })}\n`);
    const done = await this.#lines.next();
    if (done.done) throw new Error('baseline server exited while broadcasting');
    return (JSON.parse(done.value) as { finalSeq: number }).finalSeq;
  }

  stop(): void {
    this.process.kill('SIGKILL');
  }
}
