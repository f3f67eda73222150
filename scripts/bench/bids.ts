/**
 * A bid storm on one live lot over real ws connections.
 *   npm run bench:bids -- --clients 5000 --bids-per-sec 500 --seconds 20
 * N clients (spread over worker threads) join the show; a subset of signed-in
 * bidders bid at the given rate. Measures bid→ack latency, accept→received-by-
 * every-client latency, lost and reordered events per client, and the server's
 * CPU and RSS.
 */
import { Worker } from 'node:worker_threads';
import { numericArgs, resourceMeter, startServer } from './lib/server-process.ts';
import { cpuMeter, printCpu } from './lib/cpu-meter.ts';
import { Histogram } from './lib/histogram.ts';
import { buyerSession, postJson } from '../../server/testing/http.ts';
import { TestWsClient } from '../../server/testing/ws-client.ts';

const clientsModule = new URL('./lib/bid-clients.ts', import.meta.url);
const args = numericArgs({ clients: 2000, bidsPerSec: 200, seconds: 20, bidders: 200, threads: 3 });

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

interface Report {
  lost: number;
  reordered: number;
  accepted: number;
  rejected: Record<string, number>;
  fanout: Uint32Array;
  acks: Uint32Array;
}

async function main(): Promise<void> {
  const bidderCount = Math.min(args.bidders, args.clients);
  console.log(`bid bench: ${args.clients} clients (${bidderCount} bidding) on ${args.threads} threads, ${args.bidsPerSec} bids/s for ${args.seconds} s`);
  const server = await startServer({ DEMO_SHOW: 'false', MEDIASOUP_WORKERS: '1' });
  const workers: Worker[] = [];
  try {
    const base = server.url;
    const wsUrl = `${base.replace('http', 'ws')}/ws`;
    const admin = (await postJson(`${base}/api/auth/signin`, server.admin)).cookie!;
    const show = (await postJson(`${base}/api/shows`, { title: 'Bid bench', scheduledAt: Date.now() }, admin)).json.show;
    await postJson(`${base}/api/shows/${show.id}/live`, {}, admin);
    const lot = (await postJson(`${base}/api/shows/${show.id}/lots`, { title: 'Bench lot', startingPrice: 100, durationSeconds: args.seconds + 120, counterBidSeconds: 5 }, admin)).json.lot;
    const cookies = await inBatches(bidderCount, 8, (i) => buyerSession(base, `bidder${i}@bench.test`, `Bidder ${i}`));
    console.log(`${bidderCount} bidder accounts ready`);

    // Client i lives on thread i % threads; bidders are the first `bidderCount` clients.
    const shares: (string | null)[][] = Array.from({ length: args.threads }, () => []);
    for (let i = 0; i < args.clients; i++) shares[i % args.threads]!.push(cookies[i] ?? null);
    const ready: Promise<unknown>[] = [];
    for (const share of shares) {
      const w = new Worker(clientsModule, { workerData: { wsUrl, showId: show.id, cookies: share } });
      workers.push(w);
      ready.push(new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
    }
    await Promise.all(ready);
    console.log(`${args.clients} clients joined`);
    await postJson(`${base}/api/lots/${lot.id}/start`, {}, admin);
    await new Promise((r) => setTimeout(r, 500));

    const meter = resourceMeter(server.process.pid!);
    const cpu = cpuMeter(server.process.pid!);
    const total = args.bidsPerSec * args.seconds;
    const started = Date.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * args.bidsPerSec));
        for (; sent < due; sent++) {
          const client = sent % bidderCount;
          workers[client % args.threads]!.postMessage({ type: 'bid', index: Math.floor(client / args.threads), lotId: lot.id });
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 3000));
    const usage = meter.stop();
    const cpuUsed = cpu.stop();

    const probe = await TestWsClient.connect(wsUrl);
    const finalSeq = (await probe.request('auctionSnapshot', { showId: show.id })).lot!.seq;
    probe.close();
    const reports = await Promise.all(
      workers.map((w) => new Promise<Report>((resolve) => {
        w.on('message', (m: { type: string } & Report) => m.type === 'report' && resolve(m));
        w.postMessage({ type: 'report', finalSeq });
      }))
    );
    const fanout = new Histogram();
    const acks = new Histogram();
    const rejected: Record<string, number> = {};
    let lost = 0, reordered = 0, accepted = 0;
    for (const r of reports) {
      fanout.merge(new Histogram(r.fanout));
      acks.merge(new Histogram(r.acks));
      lost += r.lost;
      reordered += r.reordered;
      accepted += r.accepted;
      for (const [k, v] of Object.entries(r.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
    }
    const result = {
      clients: args.clients,
      bids_per_sec: args.bidsPerSec,
      bids_sent: total,
      bids_accepted: accepted,
      events: finalSeq,
      ack_p50_ms: acks.percentile(50),
      ack_p99_ms: acks.percentile(99),
      fanout_p50_ms: fanout.percentile(50),
      fanout_p99_ms: fanout.percentile(99),
      lost,
      reordered,
      ...cpuUsed,
      server_rss_mb: usage.rssMb
    };
    const rejections = Object.entries(rejected).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
    console.log(`accepted ${accepted}/${total} bids (rejected: ${rejections}; "conflict" = the bidder already led), ${finalSeq} events`);
    console.log(`bid→ack: p50 ${result.ack_p50_ms} ms, p99 ${result.ack_p99_ms} ms`);
    console.log(`accept→received by every client: p50 ${result.fanout_p50_ms} ms, p99 ${result.fanout_p99_ms} ms over ${fanout.total} deliveries`);
    console.log(`lost ${lost}, reordered ${reordered}; server peak RSS ${result.server_rss_mb} MB`);
    printCpu(cpuUsed);
    console.log(JSON.stringify(result));
  } finally {
    for (const w of workers) await w.terminate();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
