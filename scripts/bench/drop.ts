/**
 * A drop rush: B signed-in buyers fire N buy attempts at one flash-sale drop the
 * moment it opens, through the same HTTP path the buy button uses.
 *   npm run bench:drop -- --attempts 10000 --stock 100 --buyers 2000
 * Reports orders created, units oversold, duplicate orders, buy latency, and the
 * spread between the first and last viewer receiving the drop over ws.
 */
import { Agent, setGlobalDispatcher } from 'undici';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../server/db/client.ts';
import { users } from '../../server/db/schema.ts';
import { SessionStore } from '../../server/auth/session.ts';
import { SESSION_COOKIE } from '../../server/auth/session-cookie.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { newId } from '../../server/ids.ts';
import { postJson } from '../../server/testing/http.ts';
import { cpuMeter, printCpu } from './lib/cpu-meter.ts';
import { numericArgs, percentile, resourceMeter, startServer } from './lib/server-process.ts';

const viewersModule = new URL('./lib/drop-viewers.ts', import.meta.url);
const args = numericArgs({ attempts: 10_000, stock: 100, buyers: 2_000, connections: 128 });

async function main(): Promise<void> {
  console.log(`drop bench: ${args.buyers} buyers, ${args.attempts} attempts at ${args.stock} units`);
  setGlobalDispatcher(new Agent({ connections: args.connections, pipelining: 1 }));
  const server = await startServer({ DEMO_SHOW: 'false', MEDIASOUP_WORKERS: '1' });
  const viewers: Worker[] = [];
  try {
    const base = server.url;
    const admin = (await postJson(`${base}/api/auth/signin`, server.admin)).cookie!;
    const show = (await postJson(`${base}/api/shows`, { title: 'Drop bench', scheduledAt: Date.now() }, admin)).json.show;
    await postJson(`${base}/api/shows/${show.id}/live`, {}, admin);
    const product = (await postJson(`${base}/api/products`, { title: 'Limited sneaker', currency: 'USD', price: 12000, stock: args.stock }, admin)).json.product;
    await fetch(`${base}/api/shows/${show.id}/lineup`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ productIds: [product.id] }) });

    // Accounts and sessions are written straight into the server's database (WAL allows it):
    // the bench measures buying, not 2,000 argon2 sign-ups.
    const db = openDatabase(server.databasePath);
    const sessions = new SessionStore(db);
    const passwordHash = await hashPassword('bench-buyer-password');
    const cookies: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < args.buyers; i++) {
        const id = newId();
        db.insert(users).values({ id, email: `buyer${i}@drop.bench`, displayName: `Buyer ${i}`, passwordHash, role: 'buyer' }).run();
        cookies.push(`${SESSION_COOKIE}=${sessions.create(id).token}`);
      }
    });
    db.$client.close();
    console.log(`${args.buyers} buyers signed in`);

    // Every buyer watches the show over ws, on worker threads so this thread only times buys.
    const wsUrl = `${base.replace('http', 'ws')}/ws`;
    const shares = [0, 1].map((t) => cookies.filter((_, i) => i % 2 === t));
    for (const share of shares) {
      const w = new Worker(viewersModule, { workerData: { wsUrl, showId: show.id, cookies: share } });
      viewers.push(w);
      await new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
    }
    console.log(`${args.buyers} viewers in the room`);

    // Warm the server's hot paths (and open the HTTP connections) on another product, as a
    // running shop would be; these attempts are not counted.
    const warm = (await postJson(`${base}/api/products`, { title: 'Warm-up', currency: 'USD', price: 100, stock: 1_000_000 }, admin)).json.product;
    await Promise.all(Array.from({ length: args.connections }, (_, c) => (async () => {
      for (let i = 0; i < 4; i++) {
        await fetch(`${base}/api/buy`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies[c]! }, body: JSON.stringify({ variantId: warm.variants[0].id, quantity: 1, idempotencyKey: `warm-up-${c}-${i}` }) });
      }
    })()));

    const dropRes = await postJson(`${base}/api/shows/${show.id}/drops`, {
      productId: product.id,
      countdownSeconds: 3,
      sale: { discountKind: 'percent', discountValue: 30, durationSeconds: 300, quantity: args.stock, perBuyerLimit: 1 }
    }, admin);
    const { dropAt, saleId } = dropRes.json.overlay.drop as { dropAt: number; saleId: string };
    const meter = resourceMeter(server.process.pid!);
    const cpu = cpuMeter(server.process.pid!);
    await new Promise((r) => setTimeout(r, dropAt - Date.now()));

    // Attempt k comes from buyer k % B; every third attempt repeats the buyer's previous key (a double tap).
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    const orderIds = new Map<string, Set<string>>();
    let next = 0;
    const fire = async (): Promise<void> => {
      for (let k = next++; k < args.attempts; k = next++) {
        const buyer = k % args.buyers;
        const round = Math.floor(k / args.buyers);
        const key = `buyer-${buyer}-attempt-${round % 3 === 2 ? round - 1 : round}`;
        const t0 = performance.now();
        const res = await fetch(`${base}/api/buy`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookies[buyer]! },
          body: JSON.stringify({ showId: show.id, variantId: product.variants[0].id, saleId, quantity: 1, idempotencyKey: key })
        });
        const body = (await res.json()) as { order?: { id: string }; error?: { message: string } };
        latencies.push(performance.now() - t0);
        const outcome = res.status === 201 ? 'order' : body.error!.message;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (body.order) {
          const set = orderIds.get(`b${buyer}`) ?? new Set<string>();
          set.add(body.order.id);
          orderIds.set(`b${buyer}`, set);
        }
      }
    };
    await Promise.all(Array.from({ length: args.connections }, fire));
    const usage = meter.stop();
    const cpuUsed = cpu.stop();

    const received = (
      await Promise.all(viewers.map((w) => new Promise<number[]>((resolve) => (w.once('message', (m: { received: number[] }) => resolve(m.received)), w.postMessage('report')))))
    ).flat();
    const sales = (await (await fetch(`${base}/api/shows/${show.id}/sales`, { headers: { cookie: admin } })).json()) as { orders: { status: string; items: { quantity: number }[] }[] };
    const held = sales.orders.filter((o) => o.status !== 'cancelled' && o.status !== 'expired');
    const units = held.reduce((n, o) => n + o.items.reduce((m, i) => m + i.quantity, 0), 0);
    const duplicates = [...orderIds.values()].reduce((n, s) => n + Math.max(0, s.size - 1), 0);
    latencies.sort((a, b) => a - b);
    received.sort((a, b) => a - b);
    const result = {
      attempts: args.attempts,
      stock: args.stock,
      orders: held.length,
      oversold: Math.max(0, units - args.stock),
      duplicates,
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      drop_spread_ms: received.length ? received.at(-1)! - received[0]! : NaN,
      viewers_reached: received.length,
      ...cpuUsed,
      server_rss_mb: usage.rssMb
    };
    console.log(`outcomes: ${[...outcomes].map(([k, v]) => `${v} × ${k}`).join('; ')}`);
    console.log(`${result.orders} orders for ${args.stock} units (${units} units held): oversold ${result.oversold}, duplicates ${duplicates}`);
    console.log(`buy answer: p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; drop reached ${received.length} viewers within ${result.drop_spread_ms} ms`);
    console.log(`server peak RSS ${result.server_rss_mb} MB`);
    printCpu(cpuUsed);
    console.log(JSON.stringify(result));
  } finally {
    for (const w of viewers) await w.terminate();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
