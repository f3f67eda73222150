// What one mediasoup worker core forwards: one simulcast publisher, a growing number of viewers
// whose RTP the worker encrypts with SRTP as for WebRTC, each to a UDP sink on 127.0.0.1.
//   npm run bench:sfu [-- --steps 100,200,400 --hold 10 --sinks 1 --workers 1,2]
// Steps count consumers (a viewer has two: video and audio), as SFU_MAX_CONSUMERS_PER_WORKER does.
// The ramp stops once loss passes 1 %, the workers fall behind what comes in, or one uses a whole core.
// `--workers N` spreads the show over N workers as the product does (see sfu/show-workers.ts), steps
// counting consumers on all of them; a list ramps once per count, each with its own pool and source.
// The sinks' UDP tap is C, built with the system's compiler (`cc`, or `CC`) on first use.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { WorkerPool } from '../../server/sfu/worker-pool.ts';
import { mediaCodecs } from '../../server/sfu/media-codecs.ts';
import { offeredTo, startSimulcastSource, type SimulcastSource } from './sfu/simulcast-source.ts';
import { SinkPool } from './sfu/sink-pool.ts';
import { stepCpu, udpReceiveBufferDrops, type StepCpu } from './sfu/step-cpu.ts';
import { lossPercent } from './sfu/rtp-stats.ts';
import { addViewer, clockRates, layerOf, layerReceived, SRTP_SUITE, type Viewer } from './sfu/viewers.ts';
import { spreadShow } from './sfu/show-workers.ts';

const { values: opts } = parseArgs({
  options: {
    steps: { type: 'string', default: '100,200,400,600,800,1000,1200,1600,2000,2400,3200,4000' },
    hold: { type: 'string', default: '10' },
    sinks: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    ffmpeg: { type: 'string', default: process.env.FFMPEG_PATH ?? 'ffmpeg' }
  }
});
const steps = opts.steps.split(',').map(Number);
const holdMs = Number(opts.hold) * 1000;
/** Fewest first: the last line's figures are the first run's, and the scaling is against it. */
const workerCounts = [...new Set(opts.workers.split(',').map(Number))].sort((a, b) => a - b);
if (!workerCounts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`--workers takes counts of 1 or more: ${opts.workers}`);
const MAX_LOSS_PCT = 1;
/**
 * A worker that sends less than this share of what came in over a step is falling behind: its core is
 * full, or the machine took it. Not 100 %: a worker a few hundred ms behind at the step's end sends less
 * within it, and on shared cores it is.
 */
const MIN_FORWARDED_PCT = 90;
const SATURATED_CORES = 0.95;
const SERVER_NICENESS = -10;
const holds = (s: Step) => s.loss_pct < MAX_LOSS_PCT && (s.forwarded_pct === null || s.forwarded_pct >= MIN_FORWARDED_PCT);
/** Longer than the source's keyframe interval (1 s): a new consumer sends nothing before a keyframe. */
const SETTLE_MS = 2000;
/**
 * A simulcast consumer can move to another layer only once a Sender Report tells that layer's capture
 * times apart. FFmpeg sends one every 5 s and its first, ahead of the first packet, finds no stream yet.
 */
const SOURCE_START_MS = 7000;
/** Viewers set up at once; the worker answers each request in turn anyway. */
const BATCH = 50;

interface Step extends StepCpu {
  consumers: number;
  loss_pct: number;
  jitter_ms: number;
  pps_out: number;
  /** What the worker sent in the window against what the source offered it: under 100 % it is falling behind. */
  forwarded_pct: number | null;
  /** Packets per second a consumer would carry if every viewer got the layer it asked for. */
  asked_pps_per_consumer: number;
  generator_limited: boolean;
}


/** One ramp at one worker count, and its largest step that held. */
interface Run {
  workers: number;
  curve: Step[];
  held: Step | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmtCpus = (s: StepCpu) => (s.worker_cpus.length > 1 ? `workers ${s.worker_cpus.join(' + ')} = ${s.worker_cpu} cores` : `worker ${s.worker_cpu} cores`);

async function ramp(workerCount: number, sinks: SinkPool): Promise<Run> {
  const pool = await WorkerPool.create(workerCount);
  const curve: Step[] = [];
  let source: SimulcastSource | undefined;
  try {
    const origin = await pool.workers[0]!.createRouter({ mediaCodecs });
    source = await startSimulcastSource(origin, opts.ffmpeg);
    const show = spreadShow(pool, origin, [source.video, source.audio]);
    const rates = clockRates(origin);
    const workerPids = pool.workers.map((w) => w.pid);
    const viewers: Viewer[] = [];
    console.log(
      workerCount === 1
        ? `one worker (pid ${workerPids[0]})`
        : `${workerCount} workers (pids ${workerPids.join(', ')}): the source on worker 0, its producers piped to a router on each other worker, each new viewer on the worker with the fewest`
    );
    await sleep(SOURCE_START_MS);
    for (const consumers of steps) {
      const target = Math.ceil(consumers / 2);
      const ports = await sinks.open(target - viewers.length, rates);
      for (let i = 0; i < ports.length; i += BATCH) {
        const batch = ports.slice(i, i + BATCH).map(async (port, j) => addViewer((await show.place()).router, source!, port, viewers.length + j));
        viewers.push(...(await Promise.all(batch)));
      }
      await sleep(SETTLE_MS);
      await sinks.window(); // discard what arrived while viewers joined
      source.takeSent();
      const layersAtStart = viewers.map(layerReceived);

      const drops = udpReceiveBufferDrops();
      const cpu = stepCpu(workerPids, sinks.pids);
      const started = performance.now();
      await sleep(holdMs);
      const got = await sinks.window();
      const sent = source.takeSent();
      const seconds = (performance.now() - started) / 1000;
      const received = viewers.map(layerReceived);
      // What the source offered a viewer depends on its layer: with layers changed mid-step it cannot be told.
      const switched = received.filter((l, i) => l !== layersAtStart[i]).length;
      const asked = offeredTo(sent, viewers.map((v) => v.spatialLayer));
      const used = cpu.stop();
      const step: Step = {
        consumers: viewers.length * 2,
        loss_pct: Number(lossPercent(got).toFixed(3)),
        jitter_ms: Number(got.jitterMeanMs.toFixed(2)),
        pps_out: Math.round(got.expected / seconds),
        forwarded_pct: switched ? null : Number(((got.expected / offeredTo(sent, received)) * 100).toFixed(1)),
        asked_pps_per_consumer: asked / seconds / (viewers.length * 2),
        ...used,
        generator_limited: used.generator_cpu > used.worker_cpu
      };
      curve.push(step);
      console.log(
        `${step.consumers} consumers: loss ${step.loss_pct} %, jitter ${step.jitter_ms} ms (worst stream ${got.jitterMaxMs.toFixed(1)}), ` +
          `${fmtCpus(step)}, ${step.pps_out} packets/s out (${step.forwarded_pct ?? '?'} % of what came in), server ${step.server_cpu}, generator ${step.generator_cpu} cores` +
          `, layers received r0/r1/r2/none ${[0, 1, 2, -1].map((l) => received.filter((r) => r === l).length).join('/')}` +
          (switched ? ` (${switched} viewers changed layer during the step)` : '') +
          `, source layer scores ${source.video.score.map((l) => l.score).join('/')}` +
          (got.silent ? `, ${got.silent} viewers received nothing` : '') +
          `, host UDP receive-buffer drops ${udpReceiveBufferDrops() - drops}` +
          (step.generator_limited ? '  LIMITED BY THE GENERATOR' : '')
      );
      if (!holds(step) || Math.max(...step.worker_cpus) >= SATURATED_CORES) break;
    }
  } finally {
    await sinks.close();
    await source?.stop();
    pool.close();
  }

  const held = curve.filter(holds).at(-1);
  printHeld(workerCount, held);
  return { workers: workerCount, curve, held };
}

/**
 * The largest step that held (under 1 % loss, keeping up), scaled linearly to a whole core: forwarding
 * costs a worker about the same per packet, so consumers per core = consumers / the cores the workers used.
 * Where a worker sent viewers a lower layer than they asked for, the same packets per core are
 * divided by what the asked-for layers would carry, and the lower of the two figures stands.
 */
function perCore(held: Step | undefined): { ppsPerCore: number; measuredPerCore: number; askedPerCore: number } {
  const ppsPerCore = held && held.worker_cpu > 0 ? held.pps_out / held.worker_cpu : 0;
  const measuredPerCore = held && held.worker_cpu > 0 ? Math.floor(held.consumers / held.worker_cpu) : 0;
  const askedPerCore = held ? Math.floor(ppsPerCore / held.asked_pps_per_consumer) : 0;
  return { ppsPerCore, measuredPerCore, askedPerCore };
}

function printHeld(workerCount: number, held: Step | undefined): void {
  if (!held) return void console.log(`no step held under ${MAX_LOSS_PCT} % loss while keeping up`);
  const { ppsPerCore, measuredPerCore, askedPerCore } = perCore(held);
  const of = workerCount === 1 ? "the worker's core" : `the ${workerCount} workers' cores (${held.worker_cpus.join(' + ')})`;
  console.log(`held ${held.consumers} consumers under ${MAX_LOSS_PCT} % loss, keeping up, on ${held.worker_cpu} of ${of}`);
  console.log(`${Math.round(ppsPerCore)} packets/s per core: ${measuredPerCore} consumers per core as sent, ${askedPerCore} at the layers viewers asked for`);
  if (Math.max(...held.worker_cpus) < SATURATED_CORES) console.log(`(scaled from ${held.worker_cpu} cores: the ramp stopped before a worker's core was full)`);
  console.log(`server CPU (the workers, FFmpeg and this process): ${held.server_cpu} cores`);
  console.log(`generator CPU (the sinks and their taps): ${held.generator_cpu} cores`);
}

// The sinks start first, at the shell's priority, one pool per run so a run's viewers start from fresh
// sockets; then this thread (the publisher's relay) rises, and the workers and FFmpeg it spawns inherit
// that, as the latency benchmarks run their server: other work on the same cores then takes less from
// the workers than from the generator.
const sinkPools = workerCounts.map(() => SinkPool.start(Number(opts.sinks)));
let niceness = os.getPriority();
try {
  os.setPriority(SERVER_NICENESS);
  niceness = SERVER_NICENESS;
} catch {
  // Not root: everything shares the same priority.
}
const mix = [0, 1, 2].map((layer) => Array.from({ length: 10 }, (_, i) => layerOf(i)).filter((l) => l === layer).length * 10);
console.log(`SRTP ${SRTP_SUITE}, viewers' layers r0/r1/r2: ${mix.join('/')} %, ${opts.sinks} sink processes, ${opts.hold} s per step, workers: ${workerCounts.join(', ')}`);
console.log(`the workers and FFmpeg run at niceness ${niceness}, the sinks at ${os.getPriority(sinkPools[0]!.pids[0])}`);

const runs: Run[] = [];
try {
  for (const [i, n] of workerCounts.entries()) runs.push(await ramp(n, sinkPools[i]!));
} finally {
  await Promise.all(sinkPools.map((s) => s.close()));
}

const capacity = (r: Run) => r.held?.consumers ?? 0;
const [base, top] = [runs[0]!, runs.at(-1)!];
const scaling = runs.length > 1 && capacity(base) > 0 ? Number((capacity(top) / capacity(base)).toFixed(2)) : null;
if (runs.length > 1) {
  for (const r of runs) {
    const cpu = r.held ? `, ${fmtCpus(r.held)}, server ${r.held.server_cpu}, generator ${r.held.generator_cpu} cores` : '';
    console.log(`${r.workers} worker${r.workers > 1 ? 's' : ''}: capacity ${capacity(r)} consumers${cpu}`);
  }
  console.log(`scaling ${top.workers} workers against ${base.workers}: ${scaling ?? '?'}`);
}
const { held } = base;
const { ppsPerCore, measuredPerCore, askedPerCore } = perCore(held);
console.log(
  JSON.stringify({
    consumers_per_core: Math.min(measuredPerCore, askedPerCore),
    loss_pct: held?.loss_pct ?? null,
    worker_cpu: held?.worker_cpu ?? null,
    pps_out: held?.pps_out ?? null,
    server_cpu: held?.server_cpu ?? null,
    generator_cpu: held?.generator_cpu ?? null,
    generator_limited: held?.generator_limited ?? null,
    pps_per_core: Math.round(ppsPerCore),
    srtp: SRTP_SUITE,
    curve: base.curve.map(({ consumers, loss_pct, worker_cpu, pps_out, generator_cpu, jitter_ms, forwarded_pct }) => ({
      consumers,
      loss_pct,
      worker_cpu,
      pps_out,
      generator_cpu,
      jitter_ms,
      forwarded_pct
    })),
    capacity_by_workers: Object.fromEntries(runs.map((r) => [String(r.workers), capacity(r)])),
    scaling_ratio: scaling
  })
);
