import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { processTree } from '../lib/process-cpu.ts';
import { mergeSummaries, type WindowSummary } from './rtp-stats.ts';
import type { SinkRequest } from './sink.ts';
import { tapBinary } from './tap-binary.ts';

/** What the sinks measured over one window. */
export interface SinkWindow extends WindowSummary {
  /** Viewers whose socket received nothing in the window. */
  silent: number;
}

/** A few sink processes (the load generator); viewers are spread over them in turn. */
export class SinkPool {
  readonly #sinks: ChildProcess[];
  #next = 0;

  private constructor(sinks: ChildProcess[]) {
    this.#sinks = sinks;
  }

  static start(count: number): SinkPool {
    const url = new URL('./sink.ts', import.meta.url);
    const tap = tapBinary();
    return new SinkPool(Array.from({ length: count }, () => fork(url, [tap], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
  }

  /** The sink processes and their taps. */
  get pids(): number[] {
    return this.#sinks.flatMap((s) => processTree(s.pid!));
  }

  /** Opens `count` more sockets, spread over the sinks; their ports in the order opened. */
  async open(count: number, clockRates: Record<number, number>): Promise<number[]> {
    const shares = this.#sinks.map(() => 0);
    for (let i = 0; i < count; i++) shares[this.#next++ % this.#sinks.length]!++;
    const replies = await Promise.all(
      this.#sinks.map((sink, i) => (shares[i] ? this.#ask<{ ports: number[] }>(sink, { type: 'open', count: shares[i]!, clockRates }) : { ports: [] }))
    );
    return replies.flatMap((r) => r.ports);
  }

  /** Ends the current window in every sink and starts the next. */
  async window(): Promise<SinkWindow> {
    const replies = await Promise.all(this.#sinks.map((s) => this.#ask<{ summary: WindowSummary; silent: number }>(s, { type: 'window' })));
    return { ...mergeSummaries(replies.map((r) => r.summary)), silent: replies.reduce((n, r) => n + r.silent, 0) };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#sinks.map(async (s) => {
        if (!s.connected) return;
        const exited = once(s, 'exit');
        s.send({ type: 'close' } satisfies SinkRequest);
        await exited;
      })
    );
  }

  async #ask<T>(sink: ChildProcess, req: SinkRequest): Promise<T> {
    const replied = once(sink, 'message') as Promise<[T & { type: string; message?: string }]>;
    sink.send(req);
    const [reply] = await replied;
    if (reply.type === 'error') throw new Error(`sink: ${reply.message}`);
    return reply;
  }
}
