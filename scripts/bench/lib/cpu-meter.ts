/**
 * The CPU a benchmark's two sides used over its measured window, in cores (CPU-seconds per
 * wall-second): the server with everything it started (mediasoup workers, FFmpeg), and the
 * generator, which is this process (worker threads included) with every other child it started
 * (browsers, generator processes) plus any `generatorPids` started elsewhere. A cluster's server is
 * several processes; what serves it without being it (PostgreSQL, Redis: `apartPids`) is neither side.
 * A figure whose generator used more CPU than the server measures the generator, not Hawker.
 */
import { processTree, TickTally, TICKS_PER_SECOND } from './process-cpu.ts';

export interface CpuFigures {
  server_cpu: number;
  generator_cpu: number;
  generator_limited: boolean;
}

const SAMPLE_EVERY_MS = 250;

export function cpuMeter(serverPids: number | number[], generatorPids: number[] = [], apartPids: number[] = []): { read(): CpuFigures; stop(): CpuFigures } {
  const trees = () => {
    const server = [serverPids].flat().flatMap(processTree);
    const notGenerator = new Set([...server, ...apartPids.flatMap(processTree)]);
    // The server is this process's child too: its tree is taken out of the generator's.
    const generator = [process.pid, ...generatorPids].flatMap(processTree).filter((p) => !notGenerator.has(p));
    return { server, generator: [...new Set(generator)] };
  };
  const start = performance.now();
  const initial = trees();
  const server = new TickTally(initial.server);
  const generator = new TickTally(initial.generator);
  const sample = () => {
    const now = trees();
    server.sample(now.server);
    generator.sample(now.generator);
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const read = (): CpuFigures => {
    sample();
    const seconds = (performance.now() - start) / 1000;
    return cpuFigures(server.ticks / TICKS_PER_SECOND / seconds, generator.ticks / TICKS_PER_SECOND / seconds);
  };
  return {
    read,
    stop() {
      clearInterval(timer);
      return read();
    }
  };
}

export function cpuFigures(serverCores: number, generatorCores: number): CpuFigures {
  const server_cpu = Number(serverCores.toFixed(2));
  const generator_cpu = Number(generatorCores.toFixed(2));
  return { server_cpu, generator_cpu, generator_limited: generator_cpu > server_cpu };
}

/** The two readable lines every benchmark prints, and the warning when the generator was the limit. */
export function printCpu(cpu: CpuFigures): void {
  console.log(`server CPU (node + mediasoup workers + FFmpeg): ${cpu.server_cpu} cores`);
  console.log(`generator CPU (the benchmark, its threads, browsers and other children): ${cpu.generator_cpu} cores`);
  if (cpu.generator_limited) console.log('LIMITED BY THE GENERATOR: it used more CPU than the server, so these figures measure the generator, not the server');
}

/**
 * A figure against its baseline measured in the same run on the same machine: noise from the shared
 * machine falls on both and cancels out in the ratio.
 */
export function baselineRatio(label: string, value: number, baseline: number): number {
  const ratio = Number((value / baseline).toFixed(2));
  console.log(`${label}: ${value} against a baseline of ${baseline} in the same run, ratio ${ratio}`);
  return ratio;
}
