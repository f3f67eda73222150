/**
 * What a bid bench run bids against: one server as `npm start` runs it (SQLite), or a cluster of
 * nodes on PostgreSQL and Redis (`startTestCluster`, nginx idle: clients go to the nodes directly).
 */
import fs from 'node:fs';
import { childPids } from '../../../server/testing/child-processes.ts';
import { startTestCluster } from '../../../server/testing/cluster.ts';
import { adminSession, postJson } from '../../../server/testing/http.ts';
import { startServer } from '../lib/server-process.ts';

export interface BenchTarget {
  /** Each node's base URL (one for a single server); clients and their sign-ups take them in turn. */
  nodes: string[];
  adminCookie(): Promise<string>;
  /** Processes whose trees are the server (nodes with their mediasoup workers), by name. */
  servers: { name: string; pid: number }[];
  /** What serves the nodes without being them (PostgreSQL, Redis, nginx): neither server nor generator. */
  services: { name: string; pid: number }[];
  /** The node that runs the show's lots, once known. */
  ownerOf(showId: string): string | undefined;
  stop(): Promise<void>;
}

export async function oneServer(env: Record<string, string>): Promise<BenchTarget> {
  const server = await startServer(env);
  return {
    nodes: [server.url],
    adminCookie: async () => (await postJson(`${server.url}/api/auth/signin`, server.admin)).cookie!,
    servers: [{ name: 'server', pid: server.process.pid! }],
    services: [],
    ownerOf: () => 'server',
    stop: () => server.stop()
  };
}

export async function cluster(count: number): Promise<BenchTarget> {
  const c = await startTestCluster({
    nodes: count,
    env: {
      // The limits startServer lifts for the single-node run: every simulated person comes from 127.0.0.1.
      SIGNUP_LIMIT_PER_HOUR: '1000000',
      MAX_SOCKETS_PER_IP: '1000000',
      // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" profiles every node, as it does the single server.
      ...(process.env.BENCH_SERVER_NODE_ARGS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_ARGS } : {})
    }
  });
  const services = [
    { name: 'postgres', pid: postmasterPid(new URL(c.databaseUrl).port) },
    { name: 'redis', pid: childPids(process.pid, 'redis-server')[0] },
    { name: 'nginx', pid: childPids(process.pid, 'nginx')[0] }
  ].filter((s): s is { name: string; pid: number } => s.pid !== undefined);
  return {
    nodes: c.nodes.map((n) => n.url),
    adminCookie: () => adminSession(c.nodes[0]!.url),
    servers: c.nodes.map((n) => ({ name: n.name, pid: n.pid })),
    services,
    // Logged at info, the test cluster's level.
    ownerOf: (showId) => c.nodes.find((n) => n.output().some((l) => l.includes('show owned by this node') && l.includes(showId)))?.name,
    async stop() {
      // SIGTERM first, as startServer's stop does, so a profiled node writes its profile before the group is killed.
      for (const n of c.nodes) n.kill('SIGTERM');
      await Promise.race([Promise.all(c.nodes.map((n) => n.exited)), new Promise((r) => setTimeout(r, 5000))]);
      await c.stop();
    }
  };
}

/** PostgreSQL's postmaster runs as a daemon (pg_ctl), not under this process: found by its port. */
function postmasterPid(port: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('/postgres') && args[args.indexOf('-p') + 1] === port) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
