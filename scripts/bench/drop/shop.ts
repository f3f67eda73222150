/**
 * The shop the drop bench buys from: a live show, signed-in buyers watching it over ws,
 * and flash-sale drops of a product with a fixed number of units.
 */
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../../server/db/client.ts';
import { SqliteRepo } from '../../../server/db/sqlite-repo.ts';
import { SessionStore } from '../../../server/auth/session.ts';
import { SESSION_COOKIE } from '../../../server/auth/session-cookie.ts';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { newId } from '../../../server/ids.ts';
import { postJson } from '../../../server/testing/http.ts';
import type { ServerHandle } from '../lib/server-process.ts';

const viewersModule = new URL('../lib/drop-viewers.ts', import.meta.url);

export interface Drop {
  productId: string;
  variantId: string;
  saleId: string;
  dropAt: number;
}

export class Shop {
  readonly base: string;
  readonly admin: string;
  readonly showId: string;
  readonly buyerCookies: string[];
  readonly #viewers: Worker[] = [];
  readonly #lineup: string[] = [];

  constructor(base: string, admin: string, showId: string, buyerCookies: string[]) {
    this.base = base;
    this.admin = admin;
    this.showId = showId;
    this.buyerCookies = buyerCookies;
  }

  /** A live show and `buyers` signed-in buyers (written straight into the server's database: WAL allows
   *  it, and the bench measures buying, not thousands of argon2 sign-ups). */
  static async open(server: ServerHandle, buyers: number): Promise<Shop> {
    const base = server.url;
    const admin = (await postJson(`${base}/api/auth/signin`, server.admin)).cookie!;
    const show = (await postJson(`${base}/api/shows`, { title: 'Drop bench', scheduledAt: Date.now() }, admin)).json.show;
    await postJson(`${base}/api/shows/${show.id}/live`, {}, admin);
    const db = openDatabase(server.databasePath);
    const repo = new SqliteRepo(db);
    const sessions = new SessionStore(repo);
    const passwordHash = await hashPassword('bench-buyer-password');
    const cookies: string[] = [];
    await repo.tx(async () => {
      for (let i = 0; i < buyers; i++) {
        const id = newId();
        await repo.changes(repo.db.insert(repo.t.users).values({ id, email: `buyer${i}@drop.bench`, displayName: `Buyer ${i}`, passwordHash, role: 'buyer' }));
        cookies.push(`${SESSION_COOKIE}=${(await sessions.create(id)).token}`);
      }
    });
    db.$client.close();
    return new Shop(base, admin, show.id, cookies);
  }

  /** Every buyer watches the show over ws, on two worker threads so the main thread only times buys. */
  async watch(): Promise<void> {
    const wsUrl = `${this.base.replace('http', 'ws')}/ws`;
    for (const t of [0, 1]) {
      const cookies = this.buyerCookies.filter((_, i) => i % 2 === t);
      const w = new Worker(viewersModule, { workerData: { wsUrl, showId: this.showId, cookies } });
      this.#viewers.push(w);
      await new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
    }
  }

  /** A product with `units` in stock, put in the show's lineup. */
  async product(title: string, units: number): Promise<{ id: string; variantId: string }> {
    const product = (await postJson(`${this.base}/api/products`, { title, currency: 'USD', price: 12000, stock: units }, this.admin)).json.product;
    this.#lineup.push(product.id);
    await fetch(`${this.base}/api/shows/${this.showId}/lineup`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: this.admin }, body: JSON.stringify({ productIds: this.#lineup }) });
    return { id: product.id, variantId: product.variants[0].id };
  }

  /** A 3-2-1 drop of a product whose flash sale offers all `units`, one per buyer. */
  async drop(title: string, units: number, countdownSeconds: number): Promise<Drop> {
    const product = await this.product(title, units);
    const res = await postJson(`${this.base}/api/shows/${this.showId}/drops`, {
      productId: product.id,
      countdownSeconds,
      sale: { discountKind: 'percent', discountValue: 30, durationSeconds: 300, quantity: units, perBuyerLimit: 1 }
    }, this.admin);
    const { dropAt, saleId } = res.json.overlay.drop as { dropAt: number; saleId: string };
    return { productId: product.id, variantId: product.variantId, saleId, dropAt };
  }

  /** Units of each product held by orders (not cancelled or lapsed), and how many such orders, from the seller's sales. */
  async held(): Promise<Map<string, { orders: number; units: number }>> {
    const sales = (await (await fetch(`${this.base}/api/shows/${this.showId}/sales`, { headers: { cookie: this.admin } })).json()) as {
      orders: { status: string; items: { productId: string; quantity: number }[] }[];
    };
    const out = new Map<string, { orders: number; units: number }>();
    for (const o of sales.orders.filter((o) => o.status !== 'cancelled' && o.status !== 'expired')) {
      for (const productId of new Set(o.items.map((i) => i.productId))) {
        const h = out.get(productId) ?? { orders: 0, units: 0 };
        h.orders++;
        h.units += o.items.filter((i) => i.productId === productId).reduce((n, i) => n + i.quantity, 0);
        out.set(productId, h);
      }
    }
    return out;
  }

  /** Stops the viewers; for each sale, when each viewer first saw its drop. */
  async leave(): Promise<Map<string, number[]>> {
    const reports = await Promise.all(
      this.#viewers.map((w) => new Promise<Record<string, number[]>>((resolve) => (w.once('message', (m: { received: Record<string, number[]> }) => resolve(m.received)), w.postMessage('report'))))
    );
    await Promise.all(this.#viewers.map((w) => w.terminate()));
    this.#viewers.length = 0;
    const out = new Map<string, number[]>();
    for (const r of reports) for (const [sale, times] of Object.entries(r)) out.set(sale, [...(out.get(sale) ?? []), ...times]);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.#viewers.map((w) => w.terminate()));
  }
}
