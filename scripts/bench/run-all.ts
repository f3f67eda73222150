/**
 * The whole benchmark suite in sequence, each benchmark as its own process; keeps each one's
 * last-line JSON in bench/results/<name>.json and writes bench/report.md with its charts.
 *   npm run bench                          every benchmark at the loads its goals are set for
 *   npm run bench -- --quick               a short smoke run with small loads
 *   npm run bench -- --only start,sfu      just these (the report still shows the others' last results)
 *   npm run bench -- --report-only         rewrites the report from bench/results without running anything
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SUITE, type BenchSpec } from './report/suite.ts';
import { renderReport, type RunRecord } from './report/report.ts';
import { lastJsonObject } from './report/last-json.ts';

const { values: opts } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'report-only': { type: 'boolean', default: false } } });
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'bench');
const resultsDir = path.join(outDir, 'results');
const ERROR_TAIL_LINES = 15;

const only = opts.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !SUITE.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; the suite: ${SUITE.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

/** Runs one benchmark, its output passed through, and returns its record. */
async function run(spec: BenchSpec, args: string[]): Promise<RunRecord> {
  const command = `node ${spec.script} ${args.join(' ')}`.trim();
  const record = (exit_code: number | null, result: RunRecord['result'], error?: string): RunRecord => ({
    bench: spec.name, command, quick: opts.quick, finished_at: new Date().toISOString(), exit_code, result, ...(error ? { error } : {})
  });
  if (!fs.existsSync(path.join(root, spec.script))) return record(null, null, `${spec.script} does not exist`);
  console.log(`\n=== ${spec.name}: ${command}`);
  const child = spawn(process.execPath, [spec.script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (process.stdout.write(d), (stdout += d)));
  child.stderr.on('data', (d: Buffer) => (process.stderr.write(d), (stderr += d)));
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  const result = code === 0 ? lastJsonObject(stdout) : null;
  const tail = (stderr.trim() || stdout.trim()).split('\n').slice(-ERROR_TAIL_LINES).join('\n');
  return record(code, result, result ? undefined : tail || 'it printed no JSON object last');
}

function readRecord(name: string): RunRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(resultsDir, `${name}.json`), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const chosen = opts['report-only'] ? [] : SUITE.filter((s) => (only ? only.includes(s.name) : !opts.quick || s.quickArgs !== null));
  for (const spec of chosen) {
    const record = await run(spec, opts.quick ? (spec.quickArgs ?? []) : spec.args);
    fs.writeFileSync(path.join(resultsDir, `${spec.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    console.log(`=== ${spec.name}: ${record.result ? 'done' : `FAILED (${record.exit_code ?? 'did not run'})`}`);
  }

  const runs = new Map(SUITE.flatMap((s) => {
    const r = readRecord(s.name);
    return r ? [[s.name, r] as const] : [];
  }));
  const cpus = os.cpus();
  const report = renderReport({
    suite: SUITE,
    runs,
    machine: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    generatedAt: new Date().toISOString()
  });
  fs.rmSync(path.join(outDir, 'charts'), { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, 'charts'), { recursive: true });
  for (const c of report.charts) fs.writeFileSync(path.join(outDir, 'charts', c.file), c.svg);
  fs.writeFileSync(path.join(outDir, 'report.md'), `${report.markdown}\n`);
  console.log(`\nwrote ${path.relative(root, path.join(outDir, 'report.md'))} with ${report.charts.length} charts`);
  if (chosen.some((s) => !runs.get(s.name)?.result)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
