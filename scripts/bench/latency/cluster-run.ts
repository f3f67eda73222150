/**
 * `--cluster N`: WebRTC glass-to-glass on a local cluster (PostgreSQL, Redis, N nodes). The host publishes
 * into node 1, the show's media origin; the viewers are spread evenly over the nodes, so in the same run
 * the viewers on node 1 are the single-node path and those on the other nodes watch through a pipe
 * between nodes: the difference is what the extra hop adds.
 */
import type { Browser } from '@playwright/test';
import { startTestCluster } from '../../../server/testing/cluster.ts';
import { cpuMeter, printCpu } from '../lib/cpu-meter.ts';
import { goLive } from './host.ts';
import { latencyFigures } from './summary.ts';
import { openViewerPages, type ViewerPages } from './viewer-pages.ts';

const ADMIN = { email: 'bench-admin@hawker.test', password: 'bench-admin-password' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function clusterResult(browser: Browser, opts: { nodes: number; viewers: number; perPage: number; seconds: number; warmUpMs: number }): Promise<Record<string, unknown>> {
  const cluster = await startTestCluster({ nodes: opts.nodes, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  try {
    const host = await goLive(browser, { url: cluster.nodes[0]!.url, admin: ADMIN });
    console.log(`host is live on node-1; ${opts.viewers} viewers spread over ${opts.nodes} nodes`);
    const groups: { name: string; pages: ViewerPages }[] = [];
    for (const [i, node] of cluster.nodes.entries()) {
      const viewers = Math.floor(opts.viewers / opts.nodes) + (i < opts.viewers % opts.nodes ? 1 : 0);
      if (viewers > 0) groups.push({ name: node.name, pages: await openViewerPages(browser, { url: node.url, showId: host.showId, viewers, perPage: opts.perPage, mode: 'webrtc' }) });
    }
    await sleep(opts.warmUpMs);
    for (const g of groups) await g.pages.take();

    const cpu = cpuMeter(cluster.nodes.map((n) => n.pid));
    await sleep(opts.seconds * 1000);
    const taken = await Promise.all(groups.map((g) => g.pages.take()));
    const cpuUsed = cpu.stop();

    const frames = taken.map((t) => t.viewers.flatMap((v) => (v.fellBack ? [] : v.latencies)));
    const fellBack = taken.reduce((n, t) => n + t.viewers.filter((v) => v.fellBack).length, 0);
    for (const [i, g] of groups.entries()) {
      const f = latencyFigures(frames[i]!);
      console.log(`${g.name}${i === 0 ? ' (the origin)' : ' (piped from node-1)'}: ${taken[i]!.viewers.length} viewers, ${frames[i]!.length} frames, p50 ${f.p50_ms} ms, p95 ${f.p95_ms} ms`);
    }
    if (fellBack > 0) console.log(`${fellBack} viewers fell back to LL-HLS: left out of the figures`);
    const single = latencyFigures(frames[0]!);
    const piped = latencyFigures(frames.slice(1).flat());
    const all = latencyFigures(frames.flat());
    const added = piped.p95_ms - single.p95_ms;
    console.log(`through a pipe between nodes: p95 ${piped.p95_ms} ms against ${single.p95_ms} ms on the origin node in the same run: ${added} ms added`);
    printCpu(cpuUsed);
    console.log('(the server is every node with its workers; the cluster’s PostgreSQL, Redis and nginx count with the generator)');
    return {
      viewers: opts.viewers,
      nodes: opts.nodes,
      p95_ms: piped.p95_ms,
      single_node_p95_ms: single.p95_ms,
      added_p95_ms: added,
      ...cpuUsed,
      p50_ms: piped.p50_ms,
      single_node_p50_ms: single.p50_ms,
      all_p95_ms: all.p95_ms,
      fell_back: fellBack,
      samples_ms: piped.samples_ms
    };
  } finally {
    await cluster.stop();
  }
}
