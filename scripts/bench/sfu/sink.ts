/**
 * A sink process for the SFU benchmark: one UDP socket per viewer on 127.0.0.1, each receiving that
 * viewer's SRTP (video and audio, rtcp-mux). rtp-tap.c reads the sockets in batches and hands over
 * only the RTP headers; this process keeps per-stream loss and jitter. Driven over IPC by sink-pool.ts;
 * argv[2] is the tap's binary.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StreamStats, summarize } from './rtp-stats.ts';
import { recordReader } from './tap-records.ts';

export type SinkRequest =
  | { type: 'open'; count: number; clockRates: Record<number, number> }
  | { type: 'window' }
  | { type: 'close' };

const tap = spawn(process.argv[2]!, [], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
const portLines = (tap.stdio[3] as Readable).setEncoding('utf8');
const streams = new Map<number, StreamStats>();
/** Packets per socket in the current window: a viewer whose consumer sends nothing shows as silent. */
let perSocket: number[] = [];
let clockRates: Record<number, number> = {};

tap.stdout!.on(
  'data',
  recordReader((r) => {
    perSocket[r.socket]!++;
    let s = streams.get(r.ssrc);
    if (!s) {
      const rate = clockRates[r.payloadType];
      if (!rate) return; // not a payload type this run consumes
      streams.set(r.ssrc, (s = new StreamStats(rate)));
    }
    s.add(r.seq, r.timestamp, r.arrivalMs);
  })
);

// One listener for the whole run: a long line of ports arrives in several chunks, and a flowing
// stream drops any chunk emitted while no listener is attached.
let pending = '';
const portLineWaiters: ((line: string) => void)[] = [];
portLines.on('data', (chunk: string) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    portLineWaiters.shift()?.(line);
  }
});

async function open(count: number): Promise<number[]> {
  const line = new Promise<string>((resolve) => portLineWaiters.push(resolve));
  tap.stdin!.write(`open ${count}\n`);
  const ports = (await line).split(' ').map(Number);
  perSocket.push(...ports.map(() => 0));
  return ports;
}

process.on('message', (req: SinkRequest) => {
  const reply = (m: unknown) => process.send!(m);
  if (req.type === 'open') {
    clockRates = req.clockRates;
    open(req.count).then(
      (ports) => reply({ type: 'opened', ports }),
      (err: unknown) => reply({ type: 'error', message: String(err) })
    );
  } else if (req.type === 'window') {
    const silent = perSocket.filter((n) => n === 0).length;
    perSocket = perSocket.map(() => 0);
    reply({ type: 'window', summary: summarize([...streams.values()].map((s) => s.takeWindow())), silent });
  } else {
    tap.stdin!.end();
    process.disconnect();
  }
});
tap.on('exit', (code) => {
  if (code) process.exit(1);
});
