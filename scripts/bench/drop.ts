/**
 * A drop rush against the real server, through the HTTP path the buy button uses, while every
 * buyer watches the show over ws.
 *   npm run bench:drop -- --rate 2000 --seconds 5 --burst 10000 --stock 100 --buyers 2000
 * Steady: `rate` buy attempts a second for `seconds` at a drop of `stock` units; p99 answer time.
 * Stampede: `burst` attempts written at the instant a second drop opens; the time until every one
 * is answered, against the same burst of buy requests the route rejects before any buying (a body
 * that fails its schema: same connection, cookie, session lookup, JSON parse and error reply, no
 * domain work), in the same run. Then orders against stock, oversold units, duplicate orders and
 * the spread between the first and last viewer seeing each drop.
 */
import { cpuMeter, printCpu, baselineRatio } from './lib/cpu-meter.ts';
import { numericArgs, percentile, startServer, type ServerHandle } from './lib/server-process.ts';
import { attemptOf, OutcomeTally } from './drop/attempts.ts';
import { burst, steady, type Request } from './drop/load-shapes.ts';
import { jsonPost, PipelinedPool } from './drop/pipelined-pool.ts';
import { evenQuantiles, round1 } from './drop/quantiles.ts';
import { Shop, type Drop } from './drop/shop.ts';

const args = numericArgs({ rate: 2_000, seconds: 5, burst: 10_000, stock: 100, buyers: 2_000, connections: 64 });
const DEFAULT_BUYS_PER_MINUTE = 30;

const untilDrop = async (drop: Drop) => {
  await new Promise((r) => setTimeout(r, drop.dropAt - Date.now()));
  while (Date.now() < drop.dropAt) await new Promise((r) => setImmediate(r));
};

async function main(): Promise<void> {
  const steadyAttempts = Math.round(args.rate * args.seconds);
  // One warm-up buy, the steady attempts and the stampede's, per buyer, all within a minute.
  const buysPerBuyer = 1 + Math.ceil(steadyAttempts / args.buyers) + Math.ceil(args.burst / args.buyers);
  const env: Record<string, string> = { DEMO_SHOW: 'false', MEDIASOUP_WORKERS: '1' };
  console.log(`drop bench: ${args.buyers} buyers watching; steady ${args.rate}/s for ${args.seconds} s, then a stampede of ${args.burst}, each at ${args.stock} units`);
  if (buysPerBuyer > DEFAULT_BUYS_PER_MINUTE) {
    env.BUYS_PER_MINUTE = String(buysPerBuyer);
    console.log(`the server's per-buyer limit is raised to BUYS_PER_MINUTE=${buysPerBuyer} (default ${DEFAULT_BUYS_PER_MINUTE}): each buyer makes that many buys in the run`);
  } else console.log(`production buy limits (BUYS_PER_MINUTE=${DEFAULT_BUYS_PER_MINUTE}; each buyer makes ${buysPerBuyer} buys)`);
  const server = await startServer(env);
  let shop: Shop | undefined;
  try {
    shop = await Shop.open(server, args.buyers);
    await shop.watch();
    console.log(`${args.buyers} buyers signed in and watching`);
    await measure(server, shop);
  } finally {
    await shop?.close();
    await server.stop();
  }
}

async function measure(server: ServerHandle, shop: Shop): Promise<void> {
  // A fresh pool for each phase, opened before its clock starts: the server drops idle connections.
  const withPool = async <T>(run: (pool: PipelinedPool) => Promise<T>): Promise<T> => {
    const pool = await PipelinedPool.open(server.url, args.connections);
    try {
      return await run(pool);
    } finally {
      pool.close();
    }
  };
    const host = new URL(server.url).host;
    const buy = (cookie: string, body: object) => jsonPost(host, '/api/buy', cookie, body);
    const cookie = (buyer: number) => shop.buyerCookies[buyer]!;
    // The baseline's body fails the buy schema (quantity 0), so the route answers before any buying.
    const noop = (k: number): Request => ({ bytes: buy(cookie(k % args.buyers), { showId: shop.showId, variantId: shop.showId, quantity: 0, idempotencyKey: `baseline-${k}` }) });

    // Warm the hot paths (buying, the rejected body) as a running shop would be; not counted.
    const warm = await shop.product('Warm-up', 1_000_000);
    await withPool(async (pool) => {
      await burst(pool, Math.min(args.buyers, 500), (k) => ({ bytes: buy(cookie(k), { variantId: warm.variantId, quantity: 1, idempotencyKey: `warm-up-${k}` }) }));
      await burst(pool, 2_000, noop);
    });

    const attempt = (drop: Drop, label: string, tally: OutcomeTally) => (k: number): Request => {
      const { buyer, key } = attemptOf(k, args.buyers, label);
      return {
        bytes: buy(cookie(buyer), { showId: shop.showId, variantId: drop.variantId, saleId: drop.saleId, quantity: 1, idempotencyKey: key }),
        onAnswer: (a) => tally.add(buyer, a.status, a.body)
      };
    };
    const cpu = cpuMeter(server.process.pid!);

    const steadyDrop = await shop.drop('Limited sneaker', args.stock, 3);
    const steadyTally = new OutcomeTally();
    const steadyMs = await withPool(async (pool) => {
      await untilDrop(steadyDrop);
      return (await steady(pool, args.rate, args.seconds, attempt(steadyDrop, 'steady', steadyTally))).sort((a, b) => a - b);
    });
    console.log(`steady: ${steadyTally.summary}`);
    console.log(`steady answer time: p50 ${round1(percentile(steadyMs, 50))} ms, p99 ${round1(percentile(steadyMs, 99))} ms, max ${round1(steadyMs.at(-1)!)} ms`);

    const baseline = await withPool((pool) => burst(pool, args.burst, noop));
    console.log(`baseline: ${args.burst} rejected buys at once drained in ${round1(baseline.drainMs)} ms`);
    await new Promise((r) => setTimeout(r, 500));
    const stampedeDrop = await shop.drop('Limited jacket', args.stock, 3);
    const stampedeTally = new OutcomeTally();
    const stampede = await withPool(async (pool) => {
      await untilDrop(stampedeDrop);
      return burst(pool, args.burst, attempt(stampedeDrop, 'stampede', stampedeTally));
    });
    const cpuUsed = cpu.stop();
    const burstMs = stampede.answerMs.sort((a, b) => a - b);
    console.log(`stampede: ${stampedeTally.summary}`);
    console.log(`stampede: ${args.burst} buys at once drained in ${round1(stampede.drainMs)} ms (p50 ${round1(percentile(burstMs, 50))} ms, p99 ${round1(percentile(burstMs, 99))} ms)`);

    await new Promise((r) => setTimeout(r, 500)); // the last stock and drop messages reach the viewers
    const seen = await shop.leave();
    const held = await shop.held();
    const drops = [steadyDrop, stampedeDrop].map((d) => {
      const h = held.get(d.productId) ?? { orders: 0, units: 0 };
      const times = (seen.get(d.saleId) ?? []).sort((a, b) => a - b);
      return { ...h, oversold: Math.max(0, h.units - args.stock), viewers: times.length, spread: times.length ? times.at(-1)! - times[0]! : NaN };
    });
    drops.forEach((d, i) => console.log(`${i ? 'stampede' : 'steady'} drop: ${d.orders} orders for ${args.stock} units (${d.units} held), oversold ${d.oversold}; reached ${d.viewers} viewers within ${d.spread} ms`));
    const burstDrain = round1(stampede.drainMs);
    const baselineDrain = round1(baseline.drainMs);
    const result = {
      steady_p99_ms: round1(percentile(steadyMs, 99)),
      burst_drain_ms: burstDrain,
      baseline_drain_ms: baselineDrain,
      ratio_drain: baselineRatio('stampede drain (ms)', burstDrain, baselineDrain),
      orders: drops[0]!.orders + drops[1]!.orders,
      stock: 2 * args.stock,
      oversold: drops[0]!.oversold + drops[1]!.oversold,
      duplicates: steadyTally.duplicates + stampedeTally.duplicates,
      drop_spread_ms: Math.max(drops[0]!.spread, drops[1]!.spread),
      ...cpuUsed,
      steady_p50_ms: round1(percentile(steadyMs, 50)),
      burst_p99_ms: round1(percentile(burstMs, 99)),
      viewers_reached: Math.min(drops[0]!.viewers, drops[1]!.viewers),
      attempts: Math.round(args.rate * args.seconds) + args.burst,
      // Distributions for the report's charts (ms): steady answer times, and answer times from each burst's start.
      steady_samples_ms: evenQuantiles(steadyMs, 500),
      stampede_samples_ms: evenQuantiles(burstMs, 500),
      baseline_samples_ms: evenQuantiles(baseline.answerMs.sort((a, b) => a - b), 500)
    };
    console.log(`${result.orders} orders for ${result.stock} units over both drops: oversold ${result.oversold}, duplicates ${result.duplicates}`);
    printCpu(cpuUsed);
    console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
