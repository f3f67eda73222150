import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { adminSession, getJson } from '../testing/http.ts';
import type { LotDto } from '#shared/auctions.ts';
import { DEMO_PRODUCTS } from './demo-content.ts';

describe('the demo shop on a cluster of two nodes', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, env: { DEMO_SHOW: 'true', DEMO_LOT_SECONDS: '10' } });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('is stocked once, and one node at a time runs its lots: one live at a time, each run and sold', async () => {
    const [a, b] = cluster.nodes.map((n) => n.url);
    const demo = (await getJson(`${a}/api/shows?status=live`)).json.shows.find((s: { isDemo: boolean }) => s.isDemo);
    const admin = await adminSession(a!);
    const products = (await getJson(`${b}/api/products`, admin)).json.products as { title: string }[];
    expect(products.map((p) => p.title).sort()).toEqual(DEMO_PRODUCTS.map((p) => p.name).sort());

    // Two schedules would race: two lots opened at once (one refused, left queued) or bids doubled.
    const statuses = new Map<string, Set<string>>();
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      for (const node of [a, b]) {
        const lots = (await getJson(`${node}/api/shows/${demo.id}/lots`)).json.lots as LotDto[];
        expect(lots.filter((l) => l.status === 'live').length).toBeLessThanOrEqual(1);
        for (const l of lots) statuses.set(l.id, (statuses.get(l.id) ?? new Set()).add(l.status));
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const last = (await getJson(`${a}/api/shows/${demo.id}/lots`)).json.lots as LotDto[];
    // Every lot ran (a queued one is only seen between its creation and its start, in one tick) and sold.
    const closed = last.filter((l) => l.status !== 'live' && l.status !== 'queued');
    expect(closed.length).toBeGreaterThanOrEqual(1);
    // Bid up by the demo bidders: the hammer price is above the starting price.
    expect(closed.map((l) => [l.status, (l.price ?? 0) > l.startingPrice])).toEqual(closed.map(() => ['sold', true]));
    expect(last.filter((l) => l.status === 'queued' && !statuses.get(l.id)?.has('live')).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
