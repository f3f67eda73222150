/**
 * The two shapes of load the drop bench puts on the server: a steady open-loop rate (requests
 * leave on schedule whatever the answers do, so a slow server cannot slow the load and hide its
 * own queueing) and a burst where every request is written at the same instant.
 */
import type { Answer, PipelinedPool } from './pipelined-pool.ts';

export type Request = { bytes: Buffer; onAnswer?: (a: Answer) => void };

const TICK_MS = 2;

/** `perSecond` requests a second for `seconds`; resolves with every answer time in ms once all are answered. */
export async function steady(pool: PipelinedPool, perSecond: number, seconds: number, request: (k: number) => Request): Promise<number[]> {
  const total = Math.round(perSecond * seconds);
  const pending: Promise<number>[] = [];
  const start = performance.now();
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
    while (pending.length < due) pending.push(answerTime(pool, request(pending.length)));
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  return Promise.all(pending);
}

/** All `count` requests written at once, spread over the pool; the time until the last is answered, and each answer time. */
export async function burst(pool: PipelinedPool, count: number, request: (k: number) => Request): Promise<{ drainMs: number; answerMs: number[] }> {
  const perConnection: Request[][] = Array.from({ length: pool.size }, () => []);
  for (let k = 0; k < count; k++) perConnection[k % pool.size]!.push(request(k));
  const start = performance.now();
  const answered = await Promise.all(
    perConnection.map(async (reqs) => {
      const answers = await pool.send(reqs.map((r) => r.bytes));
      answers.forEach((a, i) => reqs[i]!.onAnswer?.(a));
      return answers;
    })
  );
  const all = answered.flat();
  return { drainMs: Math.max(...all.map((a) => a.answeredAt)) - start, answerMs: all.map((a) => a.answeredAt - start) };
}

async function answerTime(pool: PipelinedPool, r: Request): Promise<number> {
  const [a] = await pool.send([r.bytes]);
  r.onAnswer?.(a!);
  return a!.answeredAt - a!.sentAt;
}
