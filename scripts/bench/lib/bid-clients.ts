/**
 * The bench's full clients: signed-in bidders on ordinary `ws` sockets that bid and read every
 * frame, measuring bid→ack and accepted→received end to end as a browser would see them.
 */
import WebSocket from 'ws';
import { Histogram } from './histogram.ts';
import { AUCTION_EVENTS_PREFIX, scanEvents, startsWith } from '../bids/event-tally.ts';

type Reply = { ok: boolean; error?: { code: string } };

class BidClient {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, (r: Reply) => void>();
  #nextId = 1;
  lastSeq = 0;

  constructor(ws: WebSocket, received: Histogram) {
    this.#ws = ws;
    ws.on('message', (raw: Buffer) => {
      if (startsWith(raw, 0, raw.length, AUCTION_EVENTS_PREFIX)) {
        const now = Date.now();
        scanEvents(raw, 0, raw.length, (seq, at) => {
          if (seq > this.lastSeq) (this.lastSeq = seq), received.add(now - at);
        });
        return;
      }
      const msg = JSON.parse(raw.toString()) as Reply & { id?: number };
      if (typeof msg.id !== 'number') return;
      this.#pending.get(msg.id)?.(msg);
      this.#pending.delete(msg.id);
    });
  }

  request(method: string, data: unknown): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#ws.send(JSON.stringify({ id, method, data }));
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}

export class BidClients {
  readonly acks = new Histogram();
  readonly received = new Histogram();
  readonly rejected: Record<string, number> = {};
  accepted = 0;
  readonly #clients: BidClient[];
  readonly #inFlight = new Set<Promise<void>>();
  #next = 0;

  private constructor(clients: BidClient[]) {
    this.#clients = clients;
  }

  /** Client i connects to `wsUrls[i % wsUrls.length]`: a cluster's nodes take turns. */
  static async join(opts: { wsUrls: string[]; showId: string; cookies: string[] }): Promise<BidClients> {
    const all = new BidClients([]);
    for (let i = 0; i < opts.cookies.length; i += 50) {
      const batch = await Promise.all(
        opts.cookies.slice(i, i + 50).map(
          (cookie, j) =>
            new Promise<BidClient>((resolve, reject) => {
              const ws = new WebSocket(opts.wsUrls[(i + j) % opts.wsUrls.length]!, { headers: { cookie }, perMessageDeflate: false });
              ws.once('open', () => resolve(new BidClient(ws, all.received)));
              ws.once('error', reject);
            })
        )
      );
      for (const c of batch) {
        const r = await c.request('join', { showId: opts.showId, role: 'viewer' });
        if (!r.ok) throw new Error(`bidder could not join: ${r.error?.code}`);
      }
      all.#clients.push(...batch);
    }
    return all;
  }

  /** The next bidder in turn places a one-tap bid (so no bidder outbids itself while others wait). */
  bid(lotId: string): void {
    const client = this.#clients[this.#next++ % this.#clients.length]!;
    const t0 = performance.now();
    const done = client.request('bid', { lotId }).then((r) => {
      this.#inFlight.delete(done);
      if (r.ok) (this.accepted++, this.acks.add(performance.now() - t0));
      else this.rejected[r.error!.code] = (this.rejected[r.error!.code] ?? 0) + 1;
    });
    this.#inFlight.add(done);
  }

  /** Every bid answered. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Waits until every full client has seen `finalSeq` (or the timeout); answers how many have not. */
  async drain(finalSeq: number, timeoutMs: number): Promise<number> {
    const behind = () => this.#clients.filter((c) => c.lastSeq < finalSeq).length;
    const deadline = Date.now() + timeoutMs;
    while (behind() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return behind();
  }

  close(): void {
    for (const c of this.#clients) c.close();
  }
}
