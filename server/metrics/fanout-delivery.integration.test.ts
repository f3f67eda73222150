import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, liveShow, postJson } from '../testing/http.ts';

/** The histogram's count and its bucket counts, read from the Prometheus text. */
async function deliveries(url: string): Promise<{ count: number; buckets: Map<string, number> }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = Number(/^hawker_fanout_delivery_seconds_count (\d+)/m.exec(text)?.[1] ?? NaN);
  const buckets = new Map([...text.matchAll(/^hawker_fanout_delivery_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  return { count, buckets };
}

describe('fan-out delivery histogram on /metrics', () => {
  let app: RunningApp;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  it('counts one delivery per watching client for each auction event', async () => {
    const admin = await adminSession(app.url);
    const showId = (await liveShow(app.url, admin, 'Metered')).id;
    const bidder = await buyerSession(app.url, 'metered@x.test');
    const join = async (cookie?: string) => {
      const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, cookie ? { cookie } : {});
      clients.push(c);
      await c.request('join', { showId, role: 'viewer' });
      return c;
    };
    const [watcher, bidding] = [await join(), await join(bidder)];
    const lot = (await postJson(`${app.url}/api/shows/${showId}/lots`, { title: 'Lamp', startingPrice: 100 }, admin)).json.lot;
    await postJson(`${app.url}/api/lots/${lot.id}/start`, {}, admin);
    await watcher.waitForNotification('auctionEvents');
    const before = await deliveries(app.url);

    await bidding.request('bid', { lotId: lot.id });
    const bids = () => watcher.notifications.filter((n) => n.notification === 'auctionEvents' && JSON.stringify(n.data).includes('"type":"bid"'));
    await expect.poll(() => bids().length).toBe(1);
    await expect.poll(async () => (await deliveries(app.url)).count - before.count).toBe(2);
    const after = await deliveries(app.url);
    expect(after.buckets.get('+Inf')).toBe(after.count);
    expect(after.buckets.get('5')).toBe(after.count);
  });
});
