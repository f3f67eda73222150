import fs from 'node:fs';
import { processTree, TickTally, TICKS_PER_SECOND } from '../lib/process-cpu.ts';

export interface StepCpu {
  /** The mediasoup worker alone: the core being measured. */
  worker_cpu: number;
  /** This process (the router's owner and the publisher's relay) with the worker and FFmpeg. */
  server_cpu: number;
  /** The sink processes with their taps. */
  generator_cpu: number;
}

/**
 * CPU over one ramp step, in cores. The server is this process's tree without the sinks,
 * so an FFmpeg the supervisor restarted mid-step still counts.
 */
export function stepCpu(workerPid: number, sinkPids: number[]): { stop(): StepCpu } {
  const sinks = new Set(sinkPids);
  const serverPids = () => processTree(process.pid).filter((p) => !sinks.has(p));
  const start = performance.now();
  const worker = new TickTally([workerPid]);
  const server = new TickTally(serverPids());
  const generator = new TickTally(sinkPids);
  return {
    stop() {
      worker.sample([workerPid]);
      server.sample(serverPids());
      generator.sample(sinkPids);
      const cores = (t: TickTally) => Number((t.ticks / TICKS_PER_SECOND / ((performance.now() - start) / 1000)).toFixed(2));
      return { worker_cpu: cores(worker), server_cpu: cores(server), generator_cpu: cores(generator) };
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
