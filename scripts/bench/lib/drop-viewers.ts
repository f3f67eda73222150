/**
 * A worker thread holding a share of the drop bench's viewers: it joins the show
 * and notes when each drop (by its sale) reaches each one, off the thread that times the buys.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { wsUrl, showId, cookies } = workerData as { wsUrl: string; showId: string; cookies: string[] };
/** Sale id → when each viewer first saw its drop (epoch ms). */
const received = new Map<string, number[]>();
const sockets: WebSocket[] = [];

for (let i = 0; i < cookies.length; i += 100) {
  await Promise.all(
    cookies.slice(i, i + 100).map(
      (cookie) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(wsUrl, { headers: { cookie }, perMessageDeflate: false });
          sockets.push(ws);
          const seen = new Set<string>();
          ws.on('message', (raw: Buffer) => {
            const text = raw.toString();
            if (text.startsWith('{"notification":"overlay"')) {
              const saleId = (JSON.parse(text) as { data: { drop: { saleId: string | null } | null } }).data.drop?.saleId;
              if (saleId && !seen.has(saleId)) {
                seen.add(saleId);
                const times = received.get(saleId) ?? [];
                times.push(Date.now());
                received.set(saleId, times);
              }
            } else if (text.startsWith('{"id":1,')) resolve();
          });
          ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'join', data: { showId, role: 'viewer' } })));
          ws.once('error', reject);
        })
    )
  );
}
parentPort!.postMessage({ type: 'ready' });
parentPort!.on('message', () => {
  for (const s of sockets) s.terminate();
  parentPort!.postMessage({ type: 'report', received: Object.fromEntries(received) });
});
