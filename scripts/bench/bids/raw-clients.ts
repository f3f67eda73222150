/**
 * A generator process holding thousands of raw WebSocket connections (forked by bids.ts). Each one
 * joins the show as a viewer, answers pings, and reads only the auction seq and time of each event;
 * every read lands in one shared buffer (`onread`), so a read allocates nothing.
 *   parent → {type:'open', urls, showId, count}     child → {type:'ready', open, failed}
 *   parent → {type:'drain', finalSeq, timeoutMs}    child → {type:'report', ...}
 */
import net from 'node:net';
import { AUCTION_EVENTS_PREFIX, EventTally, startsWith } from './event-tally.ts';
import { clientFrame, FrameReader, OPCODE, upgradeRequest } from './ws-frames.ts';

/** Connection c goes to `urls[c % urls.length]`. */
export interface OpenMessage { type: 'open'; urls: string[]; showId: string; count: number }
export interface DrainMessage { type: 'drain'; finalSeq: number; timeoutMs: number }
export interface RawReport {
  type: 'report';
  connections: number;
  closed: number;
  behind: number;
  lost: number;
  reordered: number;
  late: number;
  frames: number;
  frameBytes: number;
  events: number;
  latency: Uint32Array;
}

const JOIN_REPLY = Buffer.from('{"id":1,');
const JOINED = Buffer.from('{"id":1,"ok":true');
const CONNECTS_AT_ONCE = 200;
const readBuffer = Buffer.alloc(256 * 1024);
let tally: EventTally;
let closed = 0;

function open(url: URL, showId: string, c: number): Promise<void> {
  const join = clientFrame(OPCODE.text, JSON.stringify({ id: 1, method: 'join', data: { showId, role: 'viewer' } }));
  return new Promise((resolve, reject) => {
    let joined = false;
    const reader = new FrameReader({
      open: () => socket.write(join),
      frame(opcode, buf, start, end) {
        if (opcode === OPCODE.text) {
          if (startsWith(buf, start, end, AUCTION_EVENTS_PREFIX)) tally.frame(c, buf, start, end, Date.now());
          else if (!joined && startsWith(buf, start, end, JOIN_REPLY)) {
            if (!startsWith(buf, start, end, JOINED)) return reject(new Error(`join refused: ${buf.toString('utf8', start, Math.min(end, start + 200))}`));
            joined = true;
            resolve();
          }
        } else if (opcode === OPCODE.ping) socket.write(clientFrame(OPCODE.pong, Buffer.from(buf.subarray(start, end))));
        else if (opcode === OPCODE.close) socket.end();
      },
      fail: (reason) => (reject(new Error(reason)), socket.destroy())
    });
    const socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (n: number, buf: Uint8Array) => {
          reader.push((buf as Buffer).subarray(0, n));
          return true;
        }
      }
    });
    socket.once('connect', () => socket.write(upgradeRequest(url.host, url.pathname)));
    socket.once('error', (err) => reject(err));
    socket.once('close', () => {
      closed++;
      if (!joined) reject(new Error('closed before joining'));
    });
  });
}

async function openAll(msg: OpenMessage): Promise<void> {
  const urls = msg.urls.map((u) => new URL(u));
  tally = new EventTally(msg.count);
  let failed = 0;
  let firstError = '';
  for (let i = 0; i < msg.count; i += CONNECTS_AT_ONCE) {
    const batch = Array.from({ length: Math.min(CONNECTS_AT_ONCE, msg.count - i) }, (_, j) => open(urls[(i + j) % urls.length]!, msg.showId, i + j));
    for (const r of await Promise.allSettled(batch)) {
      if (r.status === 'rejected') (failed++, (firstError ||= String(r.reason)));
    }
  }
  process.send!({ type: 'ready', open: msg.count - failed, failed, firstError });
}

/** Waits until every connection has seen `finalSeq` (or the timeout), then counts. */
async function drain(msg: DrainMessage): Promise<void> {
  const deadline = Date.now() + msg.timeoutMs;
  while (tally.behind(msg.finalSeq) > closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const report: RawReport = {
    type: 'report',
    connections: tally.lastSeq.length,
    closed,
    behind: tally.behind(msg.finalSeq),
    lost: tally.lost(msg.finalSeq),
    reordered: tally.totalReordered(),
    late: tally.late,
    frames: tally.frames,
    frameBytes: tally.frameBytes,
    events: tally.latency.total,
    latency: tally.latency.counts
  };
  process.send!(report, () => process.exit(0));
}

process.on('message', (msg: OpenMessage | DrainMessage) => {
  if (msg.type === 'open') void openAll(msg);
  else void drain(msg);
});
