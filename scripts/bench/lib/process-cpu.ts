import fs from 'node:fs';
import { cpuTicks } from '../../../server/testing/child-processes.ts';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
export const TICKS_PER_SECOND = 100;

/** The process and its descendants (mediasoup workers, FFmpeg, browsers), from /proc. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    try {
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      /* exited */
    }
  }
  return out;
}

/**
 * CPU ticks a changing set of processes used since the tally began. Each process is sampled while
 * it lives, so one that exits mid-run (a restarted encoder, a closed browser tab) keeps its share;
 * one that starts later counts from zero.
 */
export class TickTally {
  readonly #initial: Set<number>;
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();

  constructor(pids: number[]) {
    this.#initial = new Set(pids);
    this.sample(pids);
  }

  sample(pids: number[]): void {
    for (const p of pids) {
      const ticks = cpuTicks(p);
      if (!this.#first.has(p)) this.#first.set(p, this.#initial.has(p) ? ticks : 0);
      this.#last.set(p, Math.max(this.#last.get(p) ?? 0, ticks)); // 0 if it exited just now
    }
  }

  get ticks(): number {
    let total = 0;
    for (const [p, t] of this.#last) total += t - this.#first.get(p)!;
    return total;
  }
}
