import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { baselineRatio, cpuFigures, cpuMeter } from './cpu-meter.ts';

const BUSY = 'const end = Date.now() + 60000; while (Date.now() < end) {}';
const spawned: ChildProcess[] = [];
/** A shell that forks a busy node: the busy process is a grandchild, as mediasoup workers or FFmpeg are the server's children. */
function busyTree(): ChildProcess {
  const child = spawn('sh', ['-c', `"${process.execPath}" -e '${BUSY}'; true`], { stdio: 'ignore', detached: true });
  spawned.push(child);
  return child;
}
const idle = () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore', detached: true });
  spawned.push(child);
  return child;
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  for (const c of spawned.splice(0)) process.kill(-c.pid!, 'SIGKILL');
});

describe('cpuMeter', () => {
  it('counts the server and its descendants as server CPU, not generator CPU', async () => {
    const server = busyTree();
    await wait(200);
    const cpu = cpuMeter(server.pid!);
    await wait(1500);
    const figures = cpu.stop();
    expect(figures.server_cpu).toBeGreaterThan(0.3);
    expect(figures.generator_cpu).toBeLessThan(figures.server_cpu);
    expect(figures.generator_limited).toBe(false);
  });

  it('counts this process and the other children it started as the generator, and marks the figure limited by it', async () => {
    const server = idle();
    const generatorChild = busyTree();
    await wait(200);
    const cpu = cpuMeter(server.pid!);
    await wait(1500);
    const figures = cpu.stop();
    expect(figures.generator_cpu).toBeGreaterThan(0.3);
    expect(figures.server_cpu).toBeLessThan(0.1);
    expect(figures.generator_limited).toBe(true);
    expect(generatorChild.exitCode).toBeNull();
  });

  it('adds up several server processes and counts processes set apart on neither side', async () => {
    const [a, b, apart] = [busyTree(), busyTree(), busyTree()];
    await wait(200);
    const cpu = cpuMeter([a.pid!, b.pid!], [], [apart.pid!]);
    await wait(1500);
    const figures = cpu.stop();
    // Three busy processes share the cores: two of them are the server, the third is nobody's.
    expect(figures.server_cpu).toBeGreaterThan(0.4);
    expect(figures.generator_cpu).toBeLessThan(0.1);
  });
});

describe('cpuFigures', () => {
  it('rounds to hundredths of a core and marks the generator limit only when it used more', () => {
    expect(cpuFigures(0.456, 0.123)).toEqual({ server_cpu: 0.46, generator_cpu: 0.12, generator_limited: false });
    expect(cpuFigures(0.2, 0.2)).toMatchObject({ generator_limited: false });
    expect(cpuFigures(0.2, 1.5)).toMatchObject({ generator_limited: true });
  });
});

it('gives a figure against its same-run baseline as a ratio in hundredths', () => {
  expect(baselineRatio('drain', 240, 150)).toBe(1.6);
  expect(baselineRatio('p95', 100, 100)).toBe(1);
});
