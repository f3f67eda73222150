/**
 * The raw generator from the parent's side: forks a few raw-clients processes, shares the
 * connections among them, and merges what they counted once every connection has drained.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Histogram } from '../lib/histogram.ts';
import type { RawReport } from './raw-clients.ts';

const entry = new URL('./raw-clients.ts', import.meta.url);

export interface FleetCount {
  connections: number;
  closed: number;
  behind: number;
  lost: number;
  reordered: number;
  late: number;
  frames: number;
  frameBytes: number;
  latency: Histogram;
}

export class RawFleet {
  readonly #children: ChildProcess[];

  private constructor(children: ChildProcess[]) {
    this.#children = children;
  }

  /** Opens `count` joined connections over `processes` processes, taking `urls` (a cluster's nodes) in turn. */
  static async open(opts: { urls: string[]; showId: string; count: number; processes: number }): Promise<RawFleet> {
    const children = Array.from({ length: opts.processes }, () => fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const fleet = new RawFleet(children);
    const replies = await Promise.all(
      children.map((child, i) => {
        const count = Math.floor(opts.count / opts.processes) + (i < opts.count % opts.processes ? 1 : 0);
        child.send({ type: 'open', urls: opts.urls, showId: opts.showId, count });
        return fleet.#reply<{ open: number; failed: number; firstError: string }>(child, 'ready');
      })
    );
    const failed = replies.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) {
      fleet.kill();
      throw new Error(`${failed} raw connections failed: ${replies.find((r) => r.firstError)?.firstError}`);
    }
    return fleet;
  }

  get pids(): number[] {
    return this.#children.map((c) => c.pid!);
  }

  /** Waits until every connection has seen `finalSeq` (or `timeoutMs`), then counts; the processes exit. */
  async drain(finalSeq: number, timeoutMs: number): Promise<FleetCount> {
    const reports = await Promise.all(
      this.#children.map((child) => {
        child.send({ type: 'drain', finalSeq, timeoutMs });
        return this.#reply<RawReport>(child, 'report');
      })
    );
    const latency = new Histogram();
    const total: FleetCount = { connections: 0, closed: 0, behind: 0, lost: 0, reordered: 0, late: 0, frames: 0, frameBytes: 0, latency };
    for (const r of reports) {
      latency.merge(new Histogram(r.latency));
      for (const k of ['connections', 'closed', 'behind', 'lost', 'reordered', 'late', 'frames', 'frameBytes'] as const) total[k] += r[k];
    }
    return total;
  }

  kill(): void {
    for (const c of this.#children) if (c.exitCode === null) c.kill('SIGKILL');
  }

  #reply<T>(child: ChildProcess, type: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`raw client process exited with ${code} before '${type}'`)));
    });
  }
}
