import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, lineChart, niceTicks } from './svg.ts';

const coordinates = (svg: string, tag: 'polyline') => [...svg.matchAll(new RegExp(`<${tag} points="([^"]+)"`, 'g'))].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));

describe('niceTicks', () => {
  it('covers the maximum in round steps from zero', () => {
    expect(niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1.3)).toEqual([0, 0.5, 1, 1.5]);
    expect(niceTicks(5000)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it('gives an axis even with nothing to show', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(NaN)).toEqual([0, 1]);
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    title: 'p95 <by> viewers',
    xLabel: 'viewers',
    yLabel: 'ms',
    series: [{ name: 'webrtc', points: [[0, 0], [50, 100], [100, 200]] }, { name: 'baseline', points: [[0, 0], [100, NaN]] }],
    marks: [{ axis: 'y', value: 150, label: 'goal' }]
  });

  it('is a standalone SVG with the title escaped and a legend entry per series', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('p95 &#60;by&#62; viewers');
    expect(svg).toContain('>webrtc</text>');
    expect(svg).toContain('>baseline</text>');
    expect(svg).toContain('>goal</text>');
  });

  it('places larger values further right and higher up, and leaves out points that are not numbers', () => {
    const [webrtc, baseline] = coordinates(svg, 'polyline');
    expect(webrtc).toHaveLength(3);
    expect(webrtc![1]![0]).toBeGreaterThan(webrtc![0]![0]!);
    expect(webrtc![2]![1]).toBeLessThan(webrtc![1]![1]!); // SVG's y grows downwards
    expect(baseline).toHaveLength(1);
  });
});

describe('barChart', () => {
  it('draws a bar per known value, in proportion, and skips missing ones', () => {
    const svg = barChart({ title: 'CPU', yLabel: 'cores', bars: ['server', 'generator'], groups: [{ label: 'bids', values: [0.5, 1] }, { label: 'drop', values: [0.25, null] }] });
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="[^"]+"><title>/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(svg).toContain('<title>generator: 1</title>');
  });
});

it('escapes every character XML gives a meaning', () => {
  expect(escapeXml(`<a href="x">'&'</a>`)).not.toMatch(/[<>"']|&(?!#)/);
});
