import fs from 'node:fs';
import { processTree, TickTally, TICKS_PER_SECOND } from '../lib/process-cpu.ts';

export interface StepCpu {
  /** The mediasoup workers alone, together: the cores being measured. */
  worker_cpu: number;
  /** Each worker's share, in the pool's order: a worker's whole core is the limit, not the sum's. */
  worker_cpus: number[];
  /** This process (the router's owner and the publisher's relay) with the worker and FFmpeg. */
  server_cpu: number;
  /** The sink processes with their taps. */
  generator_cpu: number;
}

/**
 * CPU over one ramp step, in cores. The server is this process's tree without the sinks,
 * so an FFmpeg the supervisor restarted mid-step still counts.
 */
export function stepCpu(workerPids: number[], sinkPids: number[]): { stop(): StepCpu } {
  const sinks = new Set(sinkPids);
  const serverPids = () => processTree(process.pid).filter((p) => !sinks.has(p));
  const start = performance.now();
  const workers = workerPids.map((p) => new TickTally([p]));
  const server = new TickTally(serverPids());
  const generator = new TickTally(sinkPids);
  return {
    stop() {
      workers.forEach((w, i) => w.sample([workerPids[i]!]));
      server.sample(serverPids());
      generator.sample(sinkPids);
      const seconds = (performance.now() - start) / 1000;
      const cores = (ticks: number) => Number((ticks / TICKS_PER_SECOND / seconds).toFixed(2));
      const worker_cpus = workers.map((w) => cores(w.ticks));
      const worker_cpu = cores(workers.reduce((n, w) => n + w.ticks, 0));
      return { worker_cpu, worker_cpus, server_cpu: cores(server.ticks), generator_cpu: cores(generator.ticks) };
    }
  };
}

/**
 * Datagrams the kernel dropped because a receive buffer was full, host-wide (/proc/net/snmp): when
 * these grow with loss, packets died at a socket that was not read in time, not in the worker.
 */
export function udpReceiveBufferDrops(): number {
  const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  const i = names?.indexOf('RcvbufErrors') ?? -1;
  return i < 0 ? 0 : Number(values?.[i] ?? 0);
}
