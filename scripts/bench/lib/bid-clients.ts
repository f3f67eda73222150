/**
 * A worker thread holding a share of the bench's ws clients, so reading the
 * fan-out is spread over threads instead of queueing behind one event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { Histogram } from './histogram.ts';

interface Client {
  ws: WebSocket;
  lastSeq: number;
  lost: number;
  reordered: number;
  seen: number;
  pending: Map<number, (reply: { ok: boolean; error?: { code: string } }) => void>;
  nextId: number;
}

const { wsUrl, showId, cookies } = workerData as { wsUrl: string; showId: string; cookies: (string | null)[] };
const fanout = new Histogram();
const acks = new Histogram();
const rejected: Record<string, number> = {};
let accepted = 0;

/** Scans `"key":123` occurrences in order without parsing the whole frame. */
function* numbersAfter(text: string, key: string): Generator<number> {
  let i = text.indexOf(key);
  while (i >= 0) {
    let j = i + key.length;
    let n = 0;
    for (let c = text.charCodeAt(j); c >= 48 && c <= 57; c = text.charCodeAt(++j)) n = n * 10 + (c - 48);
    yield n;
    i = text.indexOf(key, j);
  }
}

function connect(cookie: string | null): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    const c: Client = { ws, lastSeq: 0, lost: 0, reordered: 0, seen: 0, pending: new Map(), nextId: 1 };
    ws.on('message', (raw: Buffer) => {
      const now = Date.now();
      const text = raw.toString();
      if (text.startsWith('{"notification":"auctionEvents"')) {
        for (const at of numbersAfter(text, '"at":')) fanout.add(now - at);
        for (const seq of numbersAfter(text, '"seq":')) {
          c.seen++;
          if (seq <= c.lastSeq) c.reordered++;
          else {
            c.lost += seq - c.lastSeq - 1;
            c.lastSeq = seq;
          }
        }
        return;
      }
      const msg = JSON.parse(text);
      if (typeof msg.id === 'number') {
        c.pending.get(msg.id)?.(msg);
        c.pending.delete(msg.id);
      }
    });
    ws.once('open', () => resolve(c));
    ws.once('error', reject);
  });
}

function request(c: Client, method: string, data: unknown) {
  const id = c.nextId++;
  return new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => {
    c.pending.set(id, resolve);
    c.ws.send(JSON.stringify({ id, method, data }));
  });
}

const clients: Client[] = [];
for (let i = 0; i < cookies.length; i += 100) {
  const batch = await Promise.all(cookies.slice(i, i + 100).map(connect));
  await Promise.all(batch.map((c) => request(c, 'join', { showId, role: 'viewer' })));
  clients.push(...batch);
}
parentPort!.postMessage({ type: 'ready' });

parentPort!.on('message', (msg: { type: 'bid'; index: number; lotId: string } | { type: 'report'; finalSeq: number }) => {
  if (msg.type === 'bid') {
    const t0 = performance.now();
    void request(clients[msg.index]!, 'bid', { lotId: msg.lotId }).then((r) => {
      if (r.ok) {
        accepted++;
        acks.add(performance.now() - t0);
      } else rejected[r.error!.code] = (rejected[r.error!.code] ?? 0) + 1;
    });
    return;
  }
  let lost = 0;
  let reordered = 0;
  for (const c of clients) {
    lost += c.lost + Math.max(0, msg.finalSeq - c.lastSeq);
    reordered += c.reordered;
    c.ws.terminate();
  }
  parentPort!.postMessage({ type: 'report', lost, reordered, accepted, rejected, fanout: fanout.counts, acks: acks.counts });
});
