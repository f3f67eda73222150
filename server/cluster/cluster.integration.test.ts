import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveShowWithProduct } from '../testing/commerce.ts';
import { startTestCluster, type TestCluster, type TestNode } from '../testing/cluster.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import type { AuctionEvent } from '#shared/auctions.ts';
import type { OrderDto } from '#shared/orders.ts';

type BidEvent = Extract<AuctionEvent, { type: 'bid' }>;

/**
 * Three nodes of server/index.ts on one PostgreSQL and one Redis, nginx in front, all on loopback:
 * what a shop gets from running Hawker on several machines. One cluster for the file; each test makes
 * its own show. The owner's death is last, since it takes a node away.
 */
describe('a cluster of three nodes', () => {
  let cluster: TestCluster;
  let redis: Redis;
  let admin: string;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3 });
    redis = new Redis(cluster.redisUrl);
    admin = await adminSession(cluster.url);
  }, 120_000);
  // A failed test shows what the nodes logged while it ran.
  beforeEach(({ onTestFailed }) => {
    const from = cluster.log.length;
    onTestFailed(() => cluster.printLogs(from));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    redis?.disconnect();
    await cluster?.stop();
  });

  const viewer = async (base: string, showId: string, cookie?: string) => {
    const c = await TestWsClient.connect(`${base.replace('http', 'ws')}/ws`, cookie ? { cookie } : {});
    clients.push(c);
    await c.request('join', { showId, role: 'viewer' });
    return c;
  };
  /** The auction events of one lot a client received, in arrival order. */
  const received = (c: TestWsClient, lotId: string): AuctionEvent[] =>
    c.notifications
      .filter((n) => n.notification === 'auctionEvents' && (n.data as { lotId: string }).lotId === lotId)
      .flatMap((n) => (n.data as { events: AuctionEvent[] }).events);
  const newLot = async (showId: string, durationSeconds: number) => {
    const created = await postJson(`${cluster.url}/api/shows/${showId}/lots`, { title: 'Vintage camera', startingPrice: 1000, durationSeconds, counterBidSeconds: 1 }, admin);
    expect(created.status).toBe(201);
    return created.json.lot.id as string;
  };

  it('shows bidders on different nodes one history of the lot, and sells it to the highest bidder', async () => {
    const [n1, n2, n3] = cluster.nodes as [TestNode, TestNode, TestNode];
    const showId = (await liveShow(cluster.url, admin, 'Bids from everywhere')).id;
    const lotId = await newLot(showId, 10);
    // Each bidder on a node of its own, one through nginx; so are the watchers.
    const places = [n1.url, n2.url, n3.url, cluster.url];
    const bidders = await Promise.all(
      ['Ann', 'Ben', 'Cat', 'Dan'].map(async (name, i) => {
        const cookie = await buyerSession(places[i]!, `${name.toLowerCase()}@bids.test`, name);
        return { name, cookie, client: await viewer(places[i]!, showId, cookie) };
      })
    );
    const watchers = await Promise.all([n3.url, cluster.url].map((base) => viewer(base, showId)));
    expect((await postJson(`${n2.url}/api/lots/${lotId}/start`, {}, admin)).status).toBe(200);

    const acked: { name: string; seq: number; amount: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const b = bidders[i % bidders.length]!;
      const reply = await b.client.request('bid', { lotId });
      expect(reply.leading).toBe(true);
      acked.push({ name: b.name, seq: reply.seq, amount: reply.amount });
    }

    const everyone = [...bidders.map((b) => b.client), ...watchers];
    await expect.poll(() => everyone.every((c) => received(c, lotId).some((e) => e.type === 'closed')), { timeout: 25_000, interval: 200 }).toBe(true);
    const history = received(watchers[0]!, lotId);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    for (const c of everyone) expect(received(c, lotId)).toEqual(history);
    const bids = history.filter((e): e is BidEvent => e.type === 'bid');
    expect(bids.map((e) => [e.bidder.displayName, e.seq, e.amount])).toEqual(acked.map((a) => [a.name, a.seq, a.amount]));
    // Any node reads the same log.
    for (const c of [bidders[0]!.client, bidders[1]!.client, bidders[2]!.client]) expect((await c.request('lotEvents', { lotId, afterSeq: 0 })).events).toEqual(history);

    const top = acked.at(-1)!;
    expect(history.at(-1)).toMatchObject({ type: 'closed', result: 'sold', price: top.amount, winner: { displayName: top.name } });
    for (const [i, b] of bidders.entries()) {
      const orders = ((await getJson(`${places[(i + 1) % places.length]}/api/orders`, b.cookie)).json.orders as OrderDto[]).filter((o) => o.lotId === lotId);
      expect(orders).toEqual(b.name === top.name ? [expect.objectContaining({ total: top.amount, status: 'pending_payment' })] : []);
    }
  }, 60_000);

  it('sells exactly the stock of a drop bought from all three nodes at once', async () => {
    const { showId, variantId } = await liveShowWithProduct(cluster.url, admin, { title: 'Limited sneakers', price: 12_000, stock: 20 });
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => buyerSession(cluster.nodes[i % 3]!.url, `buyer${i}@drop.test`)));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        postJson(`${cluster.nodes[i % 3]!.url}/api/buy`, { showId, variantId, quantity: 1, idempotencyKey: `drop-buy-${i}` }, buyers[i % buyers.length])
      )
    );
    const sold = results.filter((r) => r.status === 201).map((r) => r.json.order as OrderDto);
    expect(sold).toHaveLength(20);
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.json?.error?.code, r.json?.error?.params?.reason])).toEqual(Array(40).fill([409, 'conflict', 'sold_out']));

    const lineup = (await getJson(`${cluster.nodes[2]!.url}/api/shows/${showId}/lineup`)).json.products;
    expect(lineup[0].variants[0].stock).toBe(0);
    const soldIds = sold.map((o) => o.id).sort();
    const buyersOrders = (await Promise.all(buyers.map(async (cookie, i) => (await getJson(`${cluster.nodes[(i + 1) % 3]!.url}/api/orders`, cookie)).json.orders as OrderDto[]))).flat();
    expect(buyersOrders.filter((o) => o.showId === showId).map((o) => o.id).sort()).toEqual(soldIds);
    const sales = (await getJson(`${cluster.url}/api/shows/${showId}/sales`, admin)).json.orders as OrderDto[];
    expect(sales.map((o) => o.id).sort()).toEqual(soldIds);
    expect(sales.flatMap((o) => o.items).reduce((units, item) => units + item.quantity, 0)).toBe(20);
  });

  it('ends a socket on one node when its session signs out on another, and holds a chat ban on every node', async () => {
    const [n1, n2, n3] = cluster.nodes as [TestNode, TestNode, TestNode];
    const showId = (await liveShow(cluster.url, admin, 'Chat across nodes')).id;
    const cat = await buyerSession(n1.url, 'cat@chat.test', 'Cat');
    const onN2 = await viewer(n2.url, showId, cat);
    const closed = new Promise<number>((resolve) => onN2.socket.once('close', resolve));
    expect((await postJson(`${n3.url}/api/auth/signout`, {}, cat)).status).toBe(200);
    expect(await closed).toBe(4001);

    const dan = await buyerSession(n2.url, 'dan@chat.test', 'Dan');
    const danOnN2 = await viewer(n2.url, showId, dan);
    const danOnN3 = await viewer(n3.url, showId, dan);
    const sent = (await danOnN2.request('chatSend', { showId, text: 'hello from node 2' })).message;
    expect((await postJson(`${n1.url}/api/shows/${showId}/chat/bans`, { userId: sent.user.id, reason: 'spam' }, admin)).status).toBe(201);
    const danThroughNginx = await viewer(cluster.url, showId, dan);
    for (const c of [danOnN2, danOnN3, danThroughNginx]) {
      expect(await c.call('chatSend', { showId, text: 'still here?' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('moves a show whose owner is killed to another node within 10 s, keeping every acknowledged bid', async () => {
    const showId = (await liveShow(cluster.url, admin, 'Owner goes down')).id;
    const lotId = await newLot(showId, 120);
    expect((await postJson(`${cluster.url}/api/lots/${lotId}/start`, {}, admin)).status).toBe(200);
    const key = `hawker:owner:${showId}`;
    await expect.poll(() => redis.get(key), { timeout: 5000 }).not.toBeNull();
    const ownerId = (await redis.get(key))!;
    const owner = cluster.nodes.find((n) => nodeIdOf(n) === ownerId);
    if (!owner) throw new Error(`no node logged its id as ${ownerId}, the owner of the show`);
    const [x, y] = cluster.nodes.filter((n) => n !== owner) as [TestNode, TestNode];

    // Ann bids on the owner itself, Ben and Cat on the nodes that survive.
    const bidder = async (node: TestNode, name: string) => viewer(node.url, showId, await buyerSession(node.url, `${name}@failover.test`));
    const [ann, ben, cat] = await Promise.all([bidder(owner, 'ann'), bidder(x, 'ben'), bidder(y, 'cat')]);
    const acked: { seq: number; amount: number }[] = [];
    for (let i = 0; i < 4; i++) acked.push(await (i % 2 ? ben : ann).request('bid', { lotId }));

    const killedAt = Date.now();
    owner.kill('SIGKILL');
    // Cat (not leading) retries until the new owner takes the bid.
    let resumedAfterMs: number | null = null;
    while (resumedAfterMs === null && Date.now() - killedAt < 10_000) {
      const reply = await within(3000, cat.call('bid', { lotId }));
      if (reply?.ok) {
        acked.push(reply.data);
        resumedAfterMs = Date.now() - killedAt;
      } else await new Promise((r) => setTimeout(r, 250));
    }
    expect(resumedAfterMs, 'no bid was accepted within 10 s of the owner’s death').not.toBeNull();
    const newOwner = await redis.get(key);
    expect([x, y].map(nodeIdOf)).toContain(newOwner);
    acked.push(await ben.request('bid', { lotId }));

    const { events } = await cat.request('lotEvents', { lotId, afterSeq: 0 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const stored = events.filter((e): e is BidEvent => e.type === 'bid').map((e) => ({ seq: e.seq, amount: e.amount }));
    expect(stored).toEqual(expect.arrayContaining(acked.map((a) => ({ seq: a.seq, amount: a.amount }))));
    const snapshot = await ben.request('auctionSnapshot', { showId });
    expect(snapshot.lot).toMatchObject({ status: 'live', price: acked.at(-1)!.amount });
  }, 60_000);
});

/** The id a node logged when it started serving (`"node":"<id>"`); the owner key in Redis holds such an id. */
function nodeIdOf(node: TestNode): string | undefined {
  for (const line of node.output()) {
    const id = /"node":"([^"]+)"/.exec(line)?.[1];
    if (id) return id;
  }
  return undefined;
}

/** The promise's value, or undefined if it takes longer than `ms` (a request the dead owner never answers). */
function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
}
