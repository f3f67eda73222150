import { describe, expect, it } from 'vitest';
import { curveCpuFields, curveSeries, latencyDistributions, seriesAcrossRuns } from './charts.ts';
import { renderReport, type RunRecord } from './report.ts';
import { checkGoal, type BenchSpec } from './suite.ts';

describe('latencyDistributions', () => {
  it('draws percentiles as a CDF, one distribution per prefix, and leaves out a lone percentile', () => {
    const series = latencyDistributions({ p50_ms: 40, p95_ms: 90, max_ms: 120, p2p_p50_ms: 30, p2p_p95_ms: 60, steady_p99_ms: 12, ratio_p95: 1.5 });
    expect(series).toEqual([
      { name: 'latency', points: [[40, 0.5], [90, 0.95], [120, 1]] },
      { name: 'p2p', points: [[30, 0.5], [60, 0.95]] }
    ]);
  });

  it('prefers samples or a histogram over percentiles of the same distribution', () => {
    const [fromSamples] = latencyDistributions({ samples_ms: [30, 10, 20, 40], p50_ms: 20, p99_ms: 40 });
    expect(fromSamples).toEqual({ name: 'latency', points: [[10, 0.25], [20, 0.5], [30, 0.75], [40, 1]] });
    const [fromHistogram] = latencyDistributions({ fanout_histogram_ms: [[10, 3], [5, 1]] });
    expect(fromHistogram).toEqual({ name: 'fanout', points: [[5, 0.25], [10, 1]] });
  });
});

describe('curves', () => {
  const sfu = { curve: [{ consumers: 100, loss_pct: 0, worker_cpu: 0.2, generator_cpu: 0.1 }, { consumers: 200, loss_pct: 0.5, worker_cpu: 0.4, generator_cpu: 0.2 }] };

  it('takes the first field of a curve point as the load', () => {
    expect(curveSeries(sfu, ['loss_pct'])).toEqual([{ name: 'loss_pct', points: [[100, 0], [200, 0.5]] }]);
    expect(curveCpuFields(sfu)).toEqual(['worker_cpu', 'generator_cpu']);
  });

  it('makes a curve of runs at several loads, in load order, without runs that lack the figure', () => {
    const runs = [{ viewers: 50, p95_ms: 140 }, { viewers: 20, p95_ms: 100 }, { viewers: 100 }];
    expect(seriesAcrossRuns(runs, 'viewers', ['p95_ms'])).toEqual([{ name: 'p95_ms', points: [[20, 100], [50, 140]] }]);
  });
});

describe('checkGoal', () => {
  it('compares a figure with a number, a flag or another field, and tells a missing figure apart', () => {
    expect(checkGoal({ field: 'p95_ms', op: '<', value: 150 }, { p95_ms: 149 })).toBe('met');
    expect(checkGoal({ field: 'p95_ms', op: '<', value: 150 }, { p95_ms: 150 })).toBe('not met');
    expect(checkGoal({ field: 'ratio', op: '<=', value: 1.5 }, { ratio: 1.5 })).toBe('met');
    expect(checkGoal({ field: 'orders', op: '=', value: { field: 'stock' } }, { orders: 100, stock: 100 })).toBe('met');
    expect(checkGoal({ field: 'orders', op: '=', value: { field: 'stock' } }, { orders: 101, stock: 100 })).toBe('not met');
    expect(checkGoal({ field: 'generator_limited', op: '=', value: false }, { generator_limited: true })).toBe('not met');
    expect(checkGoal({ field: 'p95_ms', op: '<', value: 150 }, {})).toBe('missing');
    expect(checkGoal({ field: 'p95_ms', op: '<', value: 150 }, { p95_ms: null })).toBe('missing');
  });
});

describe('renderReport', () => {
  const spec = (name: string, extra: Partial<BenchSpec> = {}): BenchSpec => ({ name, title: `Bench ${name}`, script: `scripts/bench/${name}.ts`, args: [], quickArgs: [], goals: [], ...extra });
  const record = (bench: string, result: RunRecord['result'], exit_code = 0, error?: string): RunRecord => ({
    bench, command: `node scripts/bench/${bench}.ts`, quick: false, finished_at: '2026-12-01T07:00:00.000Z', exit_code, result, ...(error ? { error } : {})
  });
  const suite = [
    spec('lat-20', { goals: [{ field: 'p95_ms', op: '<', value: 150 }], series: { name: 'lat', load: 'viewers', figure: 'p95_ms' } }),
    spec('lat-50', { series: { name: 'lat', load: 'viewers', figure: 'p95_ms' } }),
    spec('broken'),
    spec('absent'),
    spec('sfu', { curve: { figure: 'loss_pct', limit: 1 } })
  ];
  const runs = new Map([
    ['lat-20', record('lat-20', { viewers: 20, p50_ms: 60, p95_ms: 170, server_cpu: 0.3, generator_cpu: 0.9, generator_limited: true })],
    ['lat-50', record('lat-50', { viewers: 50, p50_ms: 80, p95_ms: 140, server_cpu: 0.6, generator_cpu: 0.4, generator_limited: false })],
    ['broken', record('broken', null, 1, 'Error: server exited with 1')],
    ['sfu', record('sfu', { consumers_per_core: 800, curve: [{ consumers: 100, loss_pct: 0, worker_cpu: 0.1 }, { consumers: 400, loss_pct: 2, worker_cpu: 0.5 }] })]
  ]);
  const report = renderReport({ suite, runs, machine: '2 × test CPU', generatedAt: '2026-12-01T07:00:00.000Z' });

  it('shows each figure against its goal, and the generator limit as a goal not met', () => {
    expect(report.markdown).toContain('| `p95_ms` | `170` | < 150 | ❌ not met |');
    expect(report.markdown).toContain('| `generator_limited` | `true` | = false | ❌ not met |');
    expect(report.markdown).toContain('| [Bench lat-20](#lat-20) | ran; **limited by the generator** | 0 of 2 | 0.3 cores | 0.9 cores |');
  });

  it('shows a failed benchmark with its error and a missing one as not run, instead of dropping them', () => {
    expect(report.markdown).toContain('| [Bench broken](#broken) | **failed** (exit code 1) |');
    expect(report.markdown).toContain('Error: server exited with 1');
    expect(report.markdown).toContain('| [Bench absent](#absent) | not run |');
    expect(report.markdown).toMatch(/## Bench absent\n\n\*\*Not run\*\* yet\./);
  });

  it('links a chart file for every picture it draws', () => {
    const files = report.charts.map((c) => c.file).sort();
    expect(files).toEqual(['cpu.svg', 'lat-20-latency.svg', 'lat-50-latency.svg', 'lat-cpu.svg', 'lat-curve.svg', 'sfu-capacity.svg', 'sfu-cpu.svg']);
    for (const f of files) expect(report.markdown).toContain(`](charts/${f})`);
    for (const c of report.charts) expect(c.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});
