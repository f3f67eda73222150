/**
 * The benchmarks `npm run bench` runs, in order, with the arguments the goals are set for, the
 * small loads of `--quick`, and the goals each figure is held to.
 */

export type Figure = number | boolean | string | null;
/** A goal on one field; `value` may name another field of the same result (orders = stock). */
export interface Goal {
  field: string;
  op: '<' | '<=' | '>=' | '=';
  value: number | boolean | { field: string };
}

export interface BenchSpec {
  /** Its results file: bench/results/<name>.json. */
  name: string;
  title: string;
  script: string;
  args: string[];
  /** Arguments for `--quick`; null leaves the benchmark out of a quick run. */
  quickArgs: string[] | null;
  goals: Goal[];
  /** Runs of one benchmark at several loads make one curve: `figure` against `load` (both fields of the result). */
  series?: { name: string; load: string; figure: string };
  /** The figure of a `curve` the benchmark emits to chart against the curve's load, with its limit. */
  curve?: { figure: string; limit?: number };
}

const under = (field: string, value: number): Goal => ({ field, op: '<', value });
const atMost = (field: string, value: number): Goal => ({ field, op: '<=', value });
const none = (field: string): Goal => ({ field, op: '=', value: 0 });

const latencyGoals = [under('p95_ms', 150), atMost('ratio_p95', 1.5)];
const latencySeries = { name: 'latency', load: 'viewers', figure: 'p95_ms' };
const hlsSeries = { name: 'hls', load: 'viewers', figure: 'p95_ms' };

export const SUITE: BenchSpec[] = [
  { name: 'start', title: 'Warm start (npm start to a ready /healthz)', script: 'scripts/bench/start.ts', args: [], quickArgs: ['--runs', '2'], goals: [under('warm_p50_ms', 3000), under('warm_max_ms', 3000)] },
  { name: 'word-filter', title: 'Chat word filter (per 500-character message)', script: 'scripts/bench/word-filter.ts', args: [], quickArgs: [], goals: [] },
  { name: 'latency-20', title: 'WebRTC glass to glass, 20 viewers', script: 'scripts/bench/latency.ts', args: ['--viewers', '20'], quickArgs: ['--viewers', '2', '--seconds', '5'], goals: latencyGoals, series: latencySeries },
  { name: 'latency-50', title: 'WebRTC glass to glass, 50 viewers', script: 'scripts/bench/latency.ts', args: ['--viewers', '50'], quickArgs: null, goals: [], series: latencySeries },
  { name: 'latency-100', title: 'WebRTC glass to glass, 100 viewers', script: 'scripts/bench/latency.ts', args: ['--viewers', '100'], quickArgs: null, goals: [], series: latencySeries },
  { name: 'sfu', title: 'SFU: consumers one worker core forwards', script: 'scripts/bench/sfu.ts', args: [], quickArgs: ['--steps', '100,200', '--hold', '3'], goals: [{ field: 'consumers_per_core', op: '>=', value: 500 }, under('loss_pct', 1)], curve: { figure: 'loss_pct', limit: 1 } },
  {
    name: 'bids',
    title: 'Bid storm: 5,000 clients, 500 bids/s',
    script: 'scripts/bench/bids.ts',
    args: ['--clients', '5000', '--bids-per-sec', '500'],
    quickArgs: ['--clients', '200', '--bids-per-sec', '50', '--seconds', '5', '--bidders', '20', '--drain-seconds', '10'],
    goals: [under('fanout_p99_ms', 100), atMost('ratio_p99', 1.5), none('lost'), none('reordered')]
  },
  {
    name: 'drop',
    title: 'Drop rush: steady buying and a 10,000-attempt stampede',
    script: 'scripts/bench/drop.ts',
    args: [],
    quickArgs: ['--rate', '200', '--seconds', '2', '--burst', '500', '--stock', '20', '--buyers', '100'],
    goals: [under('steady_p99_ms', 50), atMost('ratio_drain', 1.5), { field: 'orders', op: '=', value: { field: 'stock' } }, none('oversold'), none('duplicates'), under('drop_spread_ms', 100)]
  },
  { name: 'hls-5', title: 'LL-HLS glass to glass, 5 viewers', script: 'scripts/bench/latency.ts', args: ['--mode', 'hls', '--viewers', '5'], quickArgs: ['--mode', 'hls', '--viewers', '1', '--seconds', '5'], goals: [atMost('p50_ms', 1500), atMost('p95_ms', 2500), none('stalls_per_viewer_minute')], series: hlsSeries },
  { name: 'hls-20', title: 'LL-HLS glass to glass, 20 viewers', script: 'scripts/bench/latency.ts', args: ['--mode', 'hls', '--viewers', '20'], quickArgs: null, goals: [], series: hlsSeries },
  { name: 'hls-edge', title: 'LL-HLS through the caching edge against straight from the server, 5 viewers', script: 'scripts/bench/latency.ts', args: ['--mode', 'hls', '--edge', '--viewers', '5'], quickArgs: ['--mode', 'hls', '--edge', '--viewers', '1', '--seconds', '5'], goals: [under('added_p50_ms', 200), atMost('origin_requests_per_part', 2)] },
  { name: 'sfu-workers', title: 'SFU: one show on 1 and on 2 workers', script: 'scripts/bench/sfu.ts', args: ['--workers', '1,2'], quickArgs: null, goals: [{ field: 'scaling_ratio', op: '>=', value: 1 }] },
  { name: 'latency-cluster', title: 'WebRTC glass to glass across three nodes, 12 viewers', script: 'scripts/bench/latency.ts', args: ['--cluster', '3', '--viewers', '12'], quickArgs: null, goals: [under('added_p95_ms', 30)] },
  { name: 'moderation', title: 'On-device moderation per frame', script: 'scripts/bench/moderation.ts', args: [], quickArgs: ['--frames', '20'], goals: [under('p95_ms', 60)] },
  { name: 'captions', title: 'Live captions: word spoken to caption shown (PocketSphinx)', script: 'scripts/bench/captions.ts', args: [], quickArgs: [], goals: [under('caption_delay_p50_ms', 2000)] }
];

export type GoalStatus = 'met' | 'not met' | 'missing';

export function checkGoal(goal: Goal, result: Record<string, unknown>): GoalStatus {
  const actual = result[goal.field];
  const target = typeof goal.value === 'object' ? result[goal.value.field] : goal.value;
  if (actual === undefined || actual === null || target === undefined || target === null) return 'missing';
  if (goal.op === '=') return actual === target ? 'met' : 'not met';
  if (typeof actual !== 'number' || typeof target !== 'number' || Number.isNaN(actual)) return 'missing';
  const met = goal.op === '<' ? actual < target : goal.op === '<=' ? actual <= target : actual >= target;
  return met ? 'met' : 'not met';
}

export function describeGoal(goal: Goal): string {
  const target = typeof goal.value === 'object' ? `\`${goal.value.field}\`` : String(goal.value);
  return `${goal.op === '<=' ? '≤' : goal.op === '>=' ? '≥' : goal.op} ${target}`;
}

/** Every benchmark that reports its CPU is held to this too: the server, not the generator, must be the limit. */
export const GENERATOR_GOAL: Goal = { field: 'generator_limited', op: '=', value: false };
