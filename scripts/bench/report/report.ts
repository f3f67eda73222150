/**
 * bench/report.md from the suite's results: a summary, then per benchmark a table of its figures
 * against their goals and its charts. A benchmark that failed or has not run is shown as such.
 */
import { checkGoal, describeGoal, GENERATOR_GOAL, type BenchSpec, type Goal, type GoalStatus } from './suite.ts';
import { curveCpuFields, curveSeries, latencyDistributions, seriesAcrossRuns, curveLoad } from './charts.ts';
import { barChart, lineChart } from './svg.ts';

/** What run-all keeps in bench/results/<name>.json: the benchmark's last-line JSON and how the run went. */
export interface RunRecord {
  bench: string;
  command: string;
  quick: boolean;
  finished_at: string;
  exit_code: number | null;
  /** The last line the benchmark printed, parsed; null when it printed no JSON. */
  result: Record<string, unknown> | null;
  /** Why there is no result: the end of its error output. */
  error?: string;
}

export interface ReportInput {
  suite: BenchSpec[];
  runs: Map<string, RunRecord>;
  machine: string;
  generatedAt: string;
}

export interface Report {
  markdown: string;
  /** Chart files to write beside the report, under charts/. */
  charts: { file: string; svg: string }[];
}

const STATUS_MARK: Record<GoalStatus, string> = { met: '✅ met', 'not met': '❌ not met', missing: '⚠️ missing' };

function goalsFor(spec: BenchSpec, result: Record<string, unknown>): Goal[] {
  return 'generator_limited' in result ? [...spec.goals, GENERATOR_GOAL] : spec.goals;
}

export function runStatus(run: RunRecord | undefined): string {
  if (!run) return 'not run';
  if (!run.result) return `**failed** (exit code ${run.exit_code ?? 'none'})`;
  return run.result.generator_limited === true ? 'ran; **limited by the generator**' : 'ran';
}

const showValue = (v: unknown): string =>
  Array.isArray(v) ? `(${v.length} values, charted)` : v !== null && typeof v === 'object' ? `\`${JSON.stringify(v)}\`` : `\`${String(v)}\``;

function figuresTable(spec: BenchSpec, result: Record<string, unknown>): string[] {
  const goals = goalsFor(spec, result);
  const fields = [...new Set([...Object.keys(result), ...goals.map((g) => g.field)])];
  return [
    '| Field | Value | Goal | Met? |',
    '|---|---|---|---|',
    ...fields.map((f) => {
      const fieldGoals = goals.filter((g) => g.field === f);
      const goal = fieldGoals.map(describeGoal).join(', ');
      const met = fieldGoals.map((g) => STATUS_MARK[checkGoal(g, result)]).join(', ');
      return `| \`${f}\` | ${f in result ? showValue(result[f]) : '—'} | ${goal} | ${met} |`;
    })
  ];
}

export function renderReport(input: ReportInput): Report {
  const charts: Report['charts'] = [];
  const chart = (file: string, svg: string, alt: string) => {
    charts.push({ file, svg });
    return `![${alt}](charts/${file})`;
  };
  const ran = input.suite.flatMap((spec) => {
    const result = input.runs.get(spec.name)?.result;
    return result ? [{ spec, result }] : [];
  });

  const lines = [
    '# Hawker benchmarks',
    '',
    `Written by \`npm run bench\` on ${input.generatedAt}, on ${input.machine}. The raw JSON each benchmark printed is in [results/](results/).`,
    'Server CPU counts the server with its mediasoup workers and FFmpeg; generator CPU counts the benchmark with its threads, browsers and other load it started. A figure whose generator used more CPU than the server is **limited by the generator**: it measures the load, not Hawker.',
    '',
    '## Summary',
    '',
    '| Benchmark | Status | Goals met | Server CPU | Generator CPU |',
    '|---|---|---|---|---|',
    ...input.suite.map((spec) => {
      const run = input.runs.get(spec.name);
      const result = run?.result;
      const goals = result ? goalsFor(spec, result) : spec.goals;
      const met = result ? goals.filter((g) => checkGoal(g, result) === 'met').length : 0;
      const cpu = (f: string) => (result && typeof result[f] === 'number' ? `${result[f]} cores` : '—');
      const quick = run?.quick ? ' (quick)' : '';
      return `| [${spec.title}](#${spec.name}) | ${runStatus(run)}${quick} | ${result && goals.length ? `${met} of ${goals.length}` : '—'} | ${cpu('server_cpu')} | ${cpu('generator_cpu')} |`;
    }),
    ''
  ];

  const withCpu = ran.filter(({ result }) => typeof result.server_cpu === 'number' || typeof result.generator_cpu === 'number');
  if (withCpu.length > 0) {
    const bars = barChart({
      title: 'CPU used: server against generator',
      yLabel: 'cores',
      bars: ['server', 'generator'],
      groups: withCpu.map(({ spec, result }) => ({ label: spec.name, values: [result.server_cpu as number ?? null, result.generator_cpu as number ?? null] }))
    });
    lines.push('## CPU: server against generator', '', chart('cpu.svg', bars, 'CPU per benchmark, server against generator'), '');
  }

  const seriesDone = new Set<string>();
  for (const spec of input.suite) {
    const run = input.runs.get(spec.name);
    lines.push(`<a id="${spec.name}"></a>`, `## ${spec.title}`, '');
    if (run) lines.push(`\`${run.command}\`${run.quick ? ' (quick run: small loads, not the goal\'s)' : ''}, finished ${run.finished_at}`, '');
    if (!run || !run.result) {
      lines.push(run ? `**Failed** with exit code ${run.exit_code ?? 'none'} and no result.` : '**Not run** yet.', '');
      if (run?.error) lines.push('```', run.error, '```', '');
      continue;
    }
    const result = run.result;
    lines.push(...figuresTable(spec, result), '');
    const latency = latencyDistributions(result);
    if (latency.length > 0) {
      const msGoals = spec.goals.filter((g) => /(^|_)(p\d+|max)_ms$/.test(g.field) && typeof g.value === 'number' && g.op !== '=');
      // Goals on the same number share one line.
      const byValue = Map.groupBy(msGoals, (g) => g.value as number);
      const marks = [...byValue].map(([value, goals]) => ({ axis: 'x' as const, value, label: `${goals.map((g) => g.field).join(', ')} ${describeGoal(goals[0]!)}` }));
      const svg = lineChart({ title: `${spec.title}: distribution`, xLabel: 'ms', yLabel: 'fraction at or under', series: latency, marks });
      lines.push(chart(`${spec.name}-latency.svg`, svg, `${spec.title}: distribution`), '');
    }
    const load = curveLoad(result);
    if (load && spec.curve) {
      const marks = spec.curve.limit === undefined ? [] : [{ axis: 'y' as const, value: spec.curve.limit, label: `limit ${spec.curve.limit}` }];
      const capacity = lineChart({ title: `${spec.title}: capacity`, xLabel: load, yLabel: spec.curve.figure, series: curveSeries(result, [spec.curve.figure]), marks });
      lines.push(chart(`${spec.name}-capacity.svg`, capacity, `${spec.title}: ${spec.curve.figure} against ${load}`), '');
    }
    if (load && curveCpuFields(result).length > 0) {
      const cpu = lineChart({ title: `${spec.title}: CPU against load`, xLabel: load, yLabel: 'cores', series: curveSeries(result, curveCpuFields(result)) });
      lines.push(chart(`${spec.name}-cpu.svg`, cpu, `${spec.title}: CPU against ${load}`), '');
    }
    const group = spec.series;
    if (group && !seriesDone.has(group.name)) {
      const members = ran.filter((r) => r.spec.series?.name === group.name).map((r) => r.result);
      if (members.length >= 2) {
        seriesDone.add(group.name);
        const figure = lineChart({ title: `${group.name}: ${group.figure} against ${group.load}`, xLabel: group.load, yLabel: group.figure, series: seriesAcrossRuns(members, group.load, [group.figure]) });
        const cpu = lineChart({ title: `${group.name}: CPU against ${group.load}`, xLabel: group.load, yLabel: 'cores', series: seriesAcrossRuns(members, group.load, ['server_cpu', 'generator_cpu']) });
        lines.push(chart(`${group.name}-curve.svg`, figure, `${group.name}: ${group.figure} against ${group.load}`), '', chart(`${group.name}-cpu.svg`, cpu, `${group.name}: CPU against ${group.load}`), '');
      }
    }
  }
  return { markdown: lines.join('\n'), charts };
}
