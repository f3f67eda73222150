/**
 * The baseline: a bare `ws` server that does what a broadcast must and nothing more. It answers
 * each client's join, then makes `eventsPerSec` auction-shaped events of `eventBytes` bytes, each
 * stamped with the time it was due (evenly spread, as bids arrive), and every `tickMs` sends the
 * events due so far to every client in one frame serialized once: the same frames at the same rate
 * as Hawker's fan-out, without a database, rooms or protocol checks.
 *   node baseline-server.ts → prints {"port":N}; stdin {"start":{eventsPerSec,eventBytes,tickMs,seconds}}
 */
import readline from 'node:readline';
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const clients: WebSocket[] = [];
let seq = 0;

wss.on('connection', (ws) => {
  clients.push(ws);
  ws.on('message', (raw) => {
    const id = /"id":(\d+)/.exec(raw.toString())?.[1] ?? '0';
    ws.send(`{"id":${id},"ok":true,"data":{}}`);
  });
  ws.on('error', () => {});
});

/** One event padded to `bytes` so frames weigh what Hawker's do. */
function event(at: number, bytes: number): string {
  const head = `{"seq":${++seq},"at":${at},"type":"bid","pad":"`;
  return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
}

function run(opts: { eventsPerSec: number; eventBytes: number; tickMs: number; seconds: number }): void {
  const start = Date.now();
  const total = Math.round(opts.eventsPerSec * opts.seconds);
  let made = 0;
  const tick = () => {
    const now = Date.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * opts.eventsPerSec));
    const events: string[] = [];
    for (; made < due; made++) events.push(event(Math.round(start + (made * 1000) / opts.eventsPerSec), opts.eventBytes));
    if (events.length > 0) {
      const frame = Buffer.from(`{"notification":"auctionEvents","data":{"lotId":"baseline","events":[${events.join(',')}]}}`);
      for (const ws of clients) ws.send(frame, { binary: false });
    }
    if (made < total) setTimeout(tick, Math.max(0, opts.tickMs - (Date.now() - now)));
    else console.log(JSON.stringify({ finalSeq: seq }));
  };
  tick();
}

wss.on('listening', () => console.log(JSON.stringify({ port: (wss.address() as { port: number }).port })));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as { start?: Parameters<typeof run>[0] };
  if (msg.start) run(msg.start);
});
