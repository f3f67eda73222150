import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { FuzzServer } from './fuzz-server.ts';
import { apiRoutes } from './rest-routes.ts';
import { runArbitrary, type Run } from './steps.ts';

export interface FuzzOptions {
  seed: number;
  runs: number;
  /** Most steps in one run. */
  maxSteps: number;
  /** fast-check's replay path, from a failure report, to replay just the counterexample. */
  path?: string;
  /** Stops generating (and shrinking) after this long; a failure found so far is still reported. */
  timeLimitMs?: number;
  /** Heap growth allowed per run from the 2nd run to the last, once the server has warmed up. */
  heapGrowthPerRunBytes?: number;
  log?: (line: string) => void;
  /** Logs how often each request met each outcome, to see what the runs reached. */
  verbose?: boolean;
}

export interface FuzzResult {
  seed: number;
  /** fast-check's report with the shrunk counterexample and what it broke, or the heap finding; null when every invariant held. */
  failure: string | null;
  /** Heap in use after a full GC, after each run on the shared server. */
  heap: number[];
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * The protocol fuzzer. Seeded runs of random and mutated ws and REST traffic from every
 * role against a real server, and after each run the invariants: no crash, no 500 or
 * `internal`, every request answered once, rooms holding exactly the open peers, stock
 * neither negative nor oversold, nothing kept for shows that do not exist, hearts still
 * flowing; over all runs, a heap that stops growing.
 *
 * Runs share one server (that is what finds leaks and state one run leaves for the next)
 * until one fails. From then on each run gets a fresh server, so fast-check shrinks to a
 * counterexample that fails on its own; a run that fails only after others says so.
 */
export async function fuzzProtocol(opts: FuzzOptions): Promise<FuzzResult> {
  const shared = await FuzzServer.start();
  const heap: number[] = [];
  let played = 0;
  let shrinking = false;
  const routes = apiRoutes(shared.app.server);
  opts.log?.(`fuzzing ${routes.length} REST routes and every ws method; seed ${opts.seed}`);
  const property = fc.asyncProperty(runArbitrary(routes, opts.maxSteps), async (run) => {
    played++;
    if (shrinking) {
      const violations = await onFreshServer(run);
      if (violations.length) throw new Error(violations.join('\n'));
      return;
    }
    const violations = await shared.play(run);
    heap.push(heapAfterGc());
    opts.log?.(`run ${played}: ${run.steps.length} steps, ${violations.length} broken invariants`);
    if (!violations.length) return;
    shrinking = true;
    opts.log?.(`broken:\n${violations.join('\n')}\nshrinking, each run on a fresh server`);
    const alone = await onFreshServer(run);
    throw new Error(alone.length ? alone.join('\n') : `Fails only after ${played - 1} earlier runs on the same server:\n${violations.join('\n')}`);
  });
  try {
    const details = await fc.check(property, {
      seed: opts.seed,
      numRuns: opts.runs,
      path: opts.path,
      interruptAfterTimeLimit: opts.timeLimitMs,
      markInterruptAsFailure: false
    });
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      return { seed: opts.seed, failure: `${fc.defaultReportMessage(details) ?? 'failed'}\nBroken invariants:\n${error}`, heap };
    }
  } finally {
    if (opts.verbose) for (const [outcome, n] of [...shared.outcomes].sort()) opts.log?.(`${String(n).padStart(6)}  ${outcome}`);
    const onClose = await shared.close();
    if (onClose.length) return { seed: opts.seed, failure: onClose.join('\n'), heap };
  }
  opts.log?.(`heap after each run (MB): ${heap.map(mb).join(' ')}`);
  return { seed: opts.seed, failure: heapFinding(heap, opts.heapGrowthPerRunBytes ?? 512 * 1024), heap };
}

async function onFreshServer(run: Run): Promise<string[]> {
  const server = await FuzzServer.start();
  const violations: string[] = [];
  try {
    violations.push(...(await server.play(run)));
  } finally {
    violations.push(...(await server.close()));
  }
  return violations;
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);

/** Memory does not grow across runs: the first run warms caches up, so growth counts from the second. */
function heapFinding(heap: number[], perRun: number): string | null {
  if (heap.length < 4) return null;
  const growth = heap.at(-1)! - heap[1]!;
  const allowed = perRun * (heap.length - 2);
  return growth > allowed ? `heap grew ${mb(growth)} MB over ${heap.length - 2} runs on one server (allowed ${mb(allowed)} MB): ${heap.map(mb).join(' ')}` : null;
}
