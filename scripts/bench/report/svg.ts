/**
 * Two small SVG charts for the benchmark report, as plain strings: a line chart (latency
 * distributions, capacity curves, CPU against load) and a grouped bar chart (CPU per benchmark).
 * Pure functions, no DOM and no chart library: the report is written by Node and read on GitHub.
 */

export interface Series {
  name: string;
  points: [x: number, y: number][];
}

/** A labelled threshold drawn across the plot, e.g. a goal. */
export interface Mark {
  axis: 'x' | 'y';
  value: number;
  label: string;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  marks?: Mark[];
}

export interface BarChart {
  title: string;
  yLabel: string;
  /** Bar names, one colour each, repeated in every group. */
  bars: string[];
  groups: { label: string; values: (number | null)[] }[];
}

const WIDTH = 640;
const HEIGHT = 320;
const PAD = { left: 64, right: 16, top: 40, bottom: 48 };
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round tick values (1, 2 or 5 × 10^n apart) covering 0..max, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

const fmt = (n: number) => (Math.abs(n) >= 10_000 ? `${Number((n / 1000).toPrecision(3))}k` : String(Number(n.toPrecision(4))));

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${PAD.left + PLOT_W / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(14 ${PAD.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...body,
    '</svg>'
  ].join('\n');
}

function yAxis(ticks: number[], y: (v: number) => number): string[] {
  return ticks.map(
    (t) =>
      `<line x1="${PAD.left}" x2="${PAD.left + PLOT_W}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e7eb"/>` +
      `<text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`
  );
}

function legend(names: string[]): string[] {
  return names.map(
    (name, i) =>
      `<rect x="${PAD.left + 8}" y="${PAD.top + 4 + i * 16}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${PAD.left + 22}" y="${PAD.top + 13 + i * 16}">${escapeXml(name)}</text>`
  );
}

const r = (n: number) => Math.round(n * 10) / 10;

export function lineChart(chart: LineChart): string {
  const finite = chart.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const marks = chart.marks ?? [];
  const xTicks = niceTicks(Math.max(...finite.map(([x]) => x), ...marks.filter((m) => m.axis === 'x').map((m) => m.value), 0));
  const yTicks = niceTicks(Math.max(...finite.map(([, y]) => y), ...marks.filter((m) => m.axis === 'y').map((m) => m.value), 0));
  const x = (v: number) => r(PAD.left + (v / xTicks.at(-1)!) * PLOT_W);
  const y = (v: number) => r(PAD.top + PLOT_H - (v / yTicks.at(-1)!) * PLOT_H);
  const body = [
    ...yAxis(yTicks, y),
    ...xTicks.map((t) => `<text x="${x(t)}" y="${PAD.top + PLOT_H + 16}" text-anchor="middle">${fmt(t)}</text>`),
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + PLOT_H}" stroke="#9ca3af"/>`,
    ...marks.map((m) => {
      const [x1, x2, y1, y2] = m.axis === 'x' ? [x(m.value), x(m.value), PAD.top, PAD.top + PLOT_H] : [PAD.left, PAD.left + PLOT_W, y(m.value), y(m.value)];
      // A goal's label sits where the usual curves leave room: beside the foot of a vertical line, above a horizontal one.
      const nearRight = x1 > PAD.left + PLOT_W * 0.6;
      const [tx, ty, anchor] = m.axis === 'x' ? [nearRight ? x1 - 4 : x1 + 4, y2 - 6, nearRight ? 'end' : 'start'] : [x2 - 4, y1 - 4, 'end'];
      return `<line x1="${x1}" x2="${x2}" y1="${y1}" y2="${y2}" stroke="#111827" stroke-dasharray="4 3"/>` +
        `<text x="${tx}" y="${ty}" text-anchor="${anchor}" fill="#111827">${escapeXml(m.label)}</text>`;
    }),
    ...chart.series.map((s, i) => {
      const colour = PALETTE[i % PALETTE.length];
      const pts = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py));
      const path = pts.map(([px, py]) => `${x(px)},${y(py)}`).join(' ');
      const dots = pts.length <= 40 ? pts.map(([px, py]) => `<circle cx="${x(px)}" cy="${y(py)}" r="3" fill="${colour}"/>`).join('') : '';
      return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}`;
    }),
    ...legend(chart.series.map((s) => s.name))
  ];
  return frame(chart.title, chart.xLabel, chart.yLabel, body);
}

export function barChart(chart: BarChart): string {
  const values = chart.groups.flatMap((g) => g.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const ticks = niceTicks(Math.max(...values, 0));
  const y = (v: number) => r(PAD.top + PLOT_H - (v / ticks.at(-1)!) * PLOT_H);
  const groupW = PLOT_W / Math.max(1, chart.groups.length);
  const barW = (groupW * 0.7) / Math.max(1, chart.bars.length);
  const body = [
    ...yAxis(ticks, y),
    ...chart.groups.flatMap((g, gi) => {
      const left = PAD.left + gi * groupW + groupW * 0.15;
      return [
        `<text x="${r(PAD.left + (gi + 0.5) * groupW)}" y="${PAD.top + PLOT_H + 16}" text-anchor="middle">${escapeXml(g.label)}</text>`,
        ...g.values.map((v, bi) =>
          v === null || !Number.isFinite(v)
            ? ''
            : `<rect x="${r(left + bi * barW)}" y="${y(v)}" width="${r(barW - 2)}" height="${r(PAD.top + PLOT_H - y(v))}" fill="${PALETTE[bi % PALETTE.length]}"><title>${escapeXml(`${chart.bars[bi]}: ${v}`)}</title></rect>`
        )
      ];
    }),
    ...legend(chart.bars)
  ];
  return frame(chart.title, '', chart.yLabel, body);
}
