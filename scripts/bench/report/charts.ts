/**
 * What the report charts, taken from the JSON a benchmark prints last. Optional fields a
 * benchmark may add for its pictures (any prefix, e.g. `fanout_`, names one distribution):
 *   `<prefix>samples_ms`: number[]               latency samples (a few thousand at most), drawn as a CDF
 *   `<prefix>histogram_ms`: [upper_ms, count][]  a latency histogram, drawn as a CDF
 *   `<prefix>p<NN>_ms` and `<prefix>max_ms`      percentiles, drawn as a CDF through those points
 *   `curve`: { <load>: number, <figure>: number, ... }[]
 *       a capacity ramp; the first field of each point is the load, fields with "cpu" in their
 *       name are charted as CPU against load, the suite names the figure to chart as capacity.
 */
import type { Series } from './svg.ts';

type Result = Record<string, unknown>;
const MAX_POINTS = 200;

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
const label = (prefix: string) => (prefix ? prefix.replace(/_$/, '').replaceAll('_', ' ') : 'latency');

function cdfOfSamples(samples: number[]): [number, number][] {
  const sorted = [...samples].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / MAX_POINTS));
  const points: [number, number][] = [];
  for (let i = step - 1; i < sorted.length; i += step) points.push([sorted[i]!, (i + 1) / sorted.length]);
  if (points.at(-1)?.[1] !== 1) points.push([sorted.at(-1)!, 1]);
  return points;
}

function cdfOfHistogram(buckets: [number, number][]): [number, number][] {
  const total = buckets.reduce((n, [, c]) => n + c, 0);
  let seen = 0;
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([ms, c]) => [ms, (seen += c) / total]);
}

/** One CDF series per distribution the result describes (x = ms, y = fraction of samples at or under it). */
export function latencyDistributions(result: Result): Series[] {
  const series = new Map<string, [number, number][]>();
  for (const [key, value] of Object.entries(result)) {
    const samples = /^(\w*?)samples_ms$/.exec(key);
    if (samples && isNumbers(value) && value.length > 0) series.set(samples[1]!, cdfOfSamples(value));
    const histogram = /^(\w*?)histogram_ms$/.exec(key);
    if (histogram && Array.isArray(value) && value.length > 0) series.set(histogram[1]!, cdfOfHistogram(value as [number, number][]));
  }
  const percentiles = new Map<string, [number, number][]>();
  for (const [key, value] of Object.entries(result)) {
    const m = /^(\w*?)(?:p(\d+(?:\.\d+)?)|(max))_ms$/.exec(key);
    if (!m || typeof value !== 'number' || !Number.isFinite(value) || series.has(m[1]!)) continue;
    const points = percentiles.get(m[1]!) ?? [];
    points.push([value, m[3] ? 1 : Number(m[2]) / 100]);
    percentiles.set(m[1]!, points);
  }
  for (const [prefix, points] of percentiles) if (points.length >= 2) series.set(prefix, points.sort((a, b) => a[1] - b[1]));
  return [...series].map(([prefix, points]) => ({ name: label(prefix), points }));
}

function curvePoints(result: Result): Result[] {
  return Array.isArray(result.curve) ? (result.curve as Result[]).filter((p) => p && typeof p === 'object') : [];
}

/** The load a curve's points are measured at: the first field of its points. */
export function curveLoad(result: Result): string | null {
  const first = curvePoints(result)[0];
  return first ? (Object.keys(first)[0] ?? null) : null;
}

/** `figure` against the load, one series per field named, from a result's `curve`. */
export function curveSeries(result: Result, fields: string[]): Series[] {
  const load = curveLoad(result);
  if (!load) return [];
  const points = curvePoints(result);
  return fields
    .map((f) => ({ name: f, points: points.map((p) => [p[load], p[f]] as [number, number]).filter(([x, y]) => typeof x === 'number' && typeof y === 'number') }))
    .filter((s) => s.points.length > 0);
}

/** The CPU fields of a curve's points (`worker_cpu`, `server_cpu`, `generator_cpu`, ...). */
export function curveCpuFields(result: Result): string[] {
  const fields = new Set<string>();
  for (const p of curvePoints(result)) for (const [k, v] of Object.entries(p)) if (/cpu/.test(k) && typeof v === 'number') fields.add(k);
  return [...fields];
}

/** Runs of one benchmark at several loads as one curve per field: x = the load field, y = the field. */
export function seriesAcrossRuns(results: Result[], load: string, fields: string[]): Series[] {
  return fields
    .map((f) => ({
      name: f,
      points: results
        .map((r) => [r[load], r[f]] as [unknown, unknown])
        .filter((p): p is [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[1]))
        .sort((a, b) => a[0] - b[0])
    }))
    .filter((s) => s.points.length > 0);
}
