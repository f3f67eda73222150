/**
 * A bid storm on one live lot, watched by thousands.
 *   npm run bench:bids -- --clients 5000 --bids-per-sec 500 --seconds 20
 * `clients` connections join the show: `bidders` full clients (signed in, ordinary ws) bid at the
 * given rate and time bid→ack and accepted→received; the rest are raw WebSocket connections in a
 * few processes that read only each event's seq and time. After bidding stops every connection is
 * drained before anything is counted. The same raw generator then watches a bare ws broadcast
 * server sending frames of the same size at the same rate: the baseline for the fan-out ratio.
 *   npm run bench:bids -- --cluster 3
 * then runs the same storm on a cluster of that many nodes (PostgreSQL, Redis): every client,
 * bidders included, on a node in turn, so most bids are forwarded to the show's owner; the figures
 * count every client and all nodes' histograms, against the single server's from the same run.
 */
import { numericArgs, resourceMeter } from './lib/server-process.ts';
import { baselineRatio, cpuMeter, printCpu, type CpuFigures } from './lib/cpu-meter.ts';
import { BidClients } from './lib/bid-clients.ts';
import { Baseline } from './bids/baseline.ts';
import { RawFleet, type FleetCount } from './bids/raw-fleet.ts';
import { bucketPercentile, bucketsSince, promBuckets, sumBuckets } from './bids/prom-histogram.ts';
import { histogramPoints } from './bids/histogram-points.ts';
import { cluster, oneServer, type BenchTarget } from './bids/targets.ts';
import { buyerSession, postJson } from '../../server/testing/http.ts';
import { TestWsClient } from '../../server/testing/ws-client.ts';

// --sqlite-synchronous normal: commits skip the fsync (an operator's choice, see SQLITE_SYNCHRONOUS in the README).
const args = numericArgs({ clients: 5000, bidsPerSec: 500, seconds: 20, bidders: 150, processes: 2, drainSeconds: 60, sqliteSynchronous: 'full', cluster: 0 });
const HISTOGRAM = 'hawker_fanout_delivery_seconds';

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

const pace = (perSec: number, seconds: number, act: () => void) =>
  new Promise<void>((resolve) => {
    const total = Math.round(perSec * seconds);
    const started = performance.now();
    let done = 0;
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSec));
      for (; done < due; done++) act();
      if (done >= total) (clearInterval(timer), resolve());
    }, 5);
  });

const fanoutBuckets = async (base: string) => promBuckets(await (await fetch(`${base}/metrics`)).text(), HISTOGRAM);
const ms = (buckets: { le: number; count: number }[], p: number) => bucketPercentile(buckets, p) * 1000;

function describeFleet(label: string, f: FleetCount): void {
  console.log(`${label}: ${f.connections} raw connections, ${f.frames} frames (${Math.round(f.frameBytes / Math.max(1, f.frames))} B avg), ` +
    `received p50 ${f.latency.percentile(50)} ms, p99 ${f.latency.percentile(99)} ms; lost ${f.lost}, reordered ${f.reordered}, late ${f.late}, closed ${f.closed}`);
}

async function hawkerRun(target: BenchTarget, rawCount: number, bidderCount: number) {
  let fleet: RawFleet | null = null;
  let bidders: BidClients | null = null;
  try {
    const [base] = target.nodes as [string];
    const wsUrls = target.nodes.map((node) => `${node.replace('http', 'ws')}/ws`);
    const admin = await target.adminCookie();
    const show = (await postJson(`${base}/api/shows`, { title: 'Bid bench', scheduledAt: Date.now() }, admin)).json.show;
    await postJson(`${base}/api/shows/${show.id}/live`, {}, admin);
    const lot = (await postJson(`${base}/api/shows/${show.id}/lots`, { title: 'Bench lot', startingPrice: 100, durationSeconds: args.seconds + 120, counterBidSeconds: 5 }, admin)).json.lot;
    const cookies = await inBatches(bidderCount, 8, (i) => buyerSession(target.nodes[i % target.nodes.length]!, `bidder${i}@bench.test`, `Bidder ${i}`));
    bidders = await BidClients.join({ wsUrls, showId: show.id, cookies });
    fleet = await RawFleet.open({ urls: wsUrls, showId: show.id, count: rawCount, processes: args.processes });
    console.log(`${bidderCount} bidders and ${rawCount} raw connections joined`);
    await postJson(`${base}/api/lots/${lot.id}/start`, {}, admin);
    await new Promise((r) => setTimeout(r, 1000));

    const before = await Promise.all(target.nodes.map(fanoutBuckets));
    const cpu = cpuMeter(target.servers.map((s) => s.pid), fleet.pids, target.services.map((s) => s.pid));
    // Nodes first, in the order of target.nodes (and of their histograms).
    const parts = [...target.servers, ...target.services].map((p) => ({ name: p.name, meter: resourceMeter(p.pid) }));
    const b = bidders;
    await pace(args.bidsPerSec, args.seconds, () => b.bid(lot.id));
    const cpuUsed = cpu.stop();
    const used = parts.map((p) => ({ name: p.name, ...p.meter.stop() }));
    await bidders.settled();

    const probe = await TestWsClient.connect(wsUrls[0]!);
    const finalSeq = (await probe.request('auctionSnapshot', { showId: show.id })).lot!.seq as number;
    probe.close();
    const [count, fullBehind] = await Promise.all([fleet.drain(finalSeq, args.drainSeconds * 1000), bidders.drain(finalSeq, args.drainSeconds * 1000)]);
    const after = await Promise.all(target.nodes.map(fanoutBuckets));
    const perNode = after.map((a, i) => bucketsSince(a, before[i]!));
    const partsUsed = used.map((p, i) => ({ ...p, fanout: perNode[i] }));
    return { count, cpuUsed, partsUsed, finalSeq, bidders, fullBehind, serverSide: sumBuckets(perNode), owner: target.ownerOf(show.id), onRedis: target.services.length > 0 };
  } finally {
    fleet?.kill();
    bidders?.close();
    await target.stop();
  }
}

async function baselineRun(rawCount: number, opts: { eventsPerSec: number; eventBytes: number; tickMs: number }): Promise<{ count: FleetCount; cpuUsed: CpuFigures }> {
  const baseline = await Baseline.start();
  let fleet: RawFleet | null = null;
  try {
    fleet = await RawFleet.open({ urls: [baseline.url], showId: 'baseline', count: rawCount, processes: args.processes });
    const cpu = cpuMeter(baseline.process.pid!, fleet.pids);
    const finalSeq = await baseline.broadcast({ ...opts, seconds: args.seconds });
    const cpuUsed = cpu.stop();
    return { count: await fleet.drain(finalSeq, args.drainSeconds * 1000), cpuUsed };
  } finally {
    fleet?.kill();
    baseline.stop();
  }
}

type HawkerRun = Awaited<ReturnType<typeof hawkerRun>>;
type BaselineRun = Awaited<ReturnType<typeof baselineRun>>;

/** A run's readable lines and its JSON fields. */
function report(hawker: HawkerRun, baseline: BaselineRun) {
  const { count, bidders } = hawker;
  const rejections = Object.entries(bidders.rejected).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  console.log(`accepted ${bidders.accepted}/${Math.round(args.bidsPerSec * args.seconds)} bids (rejected: ${rejections}), ${hawker.finalSeq} events`);
  console.log(`full clients: bid→ack p50 ${bidders.acks.percentile(50)} ms, p99 ${bidders.acks.percentile(99)} ms; accepted→received p50 ${bidders.received.percentile(50)} ms, p99 ${bidders.received.percentile(99)} ms; ${hawker.fullBehind} not drained`);
  describeFleet('hawker', count);
  describeFleet('baseline', baseline.count);
  const serverP50 = ms(hawker.serverSide, 50);
  const serverP99 = ms(hawker.serverSide, 99);
  // On a cluster every node (the owner too) times a change from its arrival over Redis: the hop from the commit is left out.
  const from = hawker.onRedis ? 'message from Redis' : 'commit';
  console.log(`server side (${from} → written to each socket, /metrics buckets): p50 ≤ ${serverP50} ms, p99 ≤ ${serverP99} ms`);
  const fanoutP99 = count.latency.percentile(99);
  const baselineP99 = baseline.count.latency.percentile(99);
  const ratio = baselineRatio('fan-out p99 (ms)', fanoutP99, Math.max(1, baselineP99));
  printCpu(hawker.cpuUsed);
  return {
    clients: args.clients,
    bids_per_sec: args.bidsPerSec,
    fanout_p50_ms: count.latency.percentile(50),
    fanout_p99_ms: fanoutP99,
    baseline_fanout_p99_ms: baselineP99,
    ratio_p99: ratio,
    lost: count.lost,
    reordered: count.reordered,
    late: count.late,
    full_clients_not_drained: hawker.fullBehind,
    ...hawker.cpuUsed,
    sqlite_synchronous: args.sqliteSynchronous,
    bids_accepted: bidders.accepted,
    events: hawker.finalSeq,
    ack_p50_ms: bidders.acks.percentile(50),
    ack_p99_ms: bidders.acks.percentile(99),
    full_client_fanout_p99_ms: bidders.received.percentile(99),
    server_fanout_p50_ms: serverP50,
    server_fanout_p99_ms: serverP99,
    baseline_server_cpu: baseline.cpuUsed.server_cpu,
    baseline_generator_cpu: baseline.cpuUsed.generator_cpu,
    // For the report's charts: both delivery distributions as [upper_ms, count] pairs.
    fanout_histogram_ms: histogramPoints(count.latency),
    baseline_fanout_histogram_ms: histogramPoints(baseline.count.latency)
  };
}

/** Where a cluster's CPU and time went, part by part: the owner runs the lot; the other nodes forward bids and relay. */
function describeParts(hawker: HawkerRun): number {
  for (const p of hawker.partsUsed) {
    const fanout = p.fanout ? `, server side p50 ≤ ${ms(p.fanout, 50)} ms, p99 ≤ ${ms(p.fanout, 99)} ms` : '';
    console.log(`  ${p.name}${p.name === hawker.owner ? ' (owner)' : ''}: ${p.cpuCores.toFixed(2)} cores, ${p.rssMb} MB${fanout}`);
  }
  const services = hawker.partsUsed.filter((p) => !p.fanout).reduce((n, p) => n + p.cpuCores, 0);
  return Number(services.toFixed(2));
}

async function main(): Promise<void> {
  const bidderCount = Math.min(args.bidders, args.clients);
  const rawCount = args.clients - bidderCount;
  console.log(`bid bench: ${args.clients} clients (${bidderCount} bidding, ${rawCount} raw in ${args.processes} processes), ${args.bidsPerSec} bids/s for ${args.seconds} s, SQLite synchronous=${args.sqliteSynchronous}`);

  const hawker = await hawkerRun(await oneServer({ DEMO_SHOW: 'false', MEDIASOUP_WORKERS: '1', SQLITE_SYNCHRONOUS: args.sqliteSynchronous }), rawCount, bidderCount);
  // The baseline sends what Hawker's fan-out sent: the same events per second, event size and frame rate.
  const eventBytes = Math.round(hawker.count.frameBytes / Math.max(1, hawker.count.latency.total));
  const framesPerSec = hawker.count.frames / Math.max(1, hawker.count.connections) / args.seconds;
  const tickMs = Math.max(1, Math.round(1000 / Math.max(1, framesPerSec)));
  const eventsPerSec = hawker.finalSeq / args.seconds;
  console.log(`baseline: a bare ws server sending ${Math.round(eventsPerSec)} events/s of ~${eventBytes} B every ${tickMs} ms`);
  const baseline = await baselineRun(rawCount, { eventsPerSec, eventBytes, tickMs });
  if (args.cluster < 1) return console.log(JSON.stringify(report(hawker, baseline)));

  console.log('single node:');
  const single = report(hawker, baseline);
  console.log(`cluster: ${args.cluster} nodes on PostgreSQL and Redis, clients and bids on each node in turn (directly, not through nginx)`);
  const clustered = await hawkerRun(await cluster(args.cluster), rawCount, bidderCount);
  const result = report(clustered, baseline);
  const servicesCpu = describeParts(clustered);
  console.log(`PostgreSQL, Redis and nginx: ${servicesCpu} cores (counted on neither side)`);
  const ratio = baselineRatio('cluster fan-out p99 (ms) against the single node', result.fanout_p99_ms, Math.max(1, single.fanout_p99_ms));
  console.log(JSON.stringify({ ...result, nodes: args.cluster, single_node_fanout_p99_ms: single.fanout_p99_ms, ratio_single_node_p99: ratio, services_cpu: servicesCpu }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
