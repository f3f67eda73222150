/**
 * What the raw generator keeps per connection, in flat typed arrays: the last auction seq it saw,
 * how many new seqs arrived, how many came out of order; and, over all connections, the delivery
 * latency (receipt time minus the event's `at`). A frame's events are consecutive seqs (the server
 * appends them in order), so only its first and last seq and its first `at` are read, never the
 * JSON: every event of a frame is timed as its oldest, which can only overstate the latency.
 */
import { Histogram } from '../lib/histogram.ts';

export const AUCTION_EVENTS_PREFIX = Buffer.from('{"notification":"auctionEvents"');
const SEQ = Buffer.from('"seq":');
const AT = Buffer.from('"at":');
/** A delivery this long after its event's time counts as late (it still counts as delivered). */
export const LATE_MS = 1000;

function numberAt(buf: Buffer, from: number): [value: number, next: number] {
  let n = 0;
  let i = from;
  for (let c = buf[i]!; c >= 48 && c <= 57; c = buf[++i]!) n = n * 10 + (c - 48);
  return [n, i];
}

export function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  return end - start >= prefix.length && buf.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}

/**
 * Calls `event(seq, at)` for every event of an auctionEvents frame held in `buf[start, end)`.
 * Each event has one `"seq":` and one `"at":` in either order (Hawker puts seq last), so the next
 * of each from the cursor belong to the same event.
 */
export function scanEvents(buf: Buffer, start: number, end: number, event: (seq: number, at: number) => void): number {
  let found = 0;
  let cursor = start;
  for (;;) {
    const s = buf.indexOf(SEQ, cursor);
    const a = buf.indexOf(AT, cursor);
    if (s < 0 || a < 0 || s >= end || a >= end) return found;
    const [seq, afterSeq] = numberAt(buf, s + SEQ.length);
    const [at, afterAt] = numberAt(buf, a + AT.length);
    event(seq, at);
    found++;
    cursor = Math.max(afterSeq, afterAt);
  }
}

export class EventTally {
  readonly lastSeq: Int32Array;
  readonly delivered: Int32Array;
  readonly reordered: Int32Array;
  readonly latency = new Histogram();
  late = 0;
  frames = 0;
  frameBytes = 0;

  constructor(connections: number) {
    this.lastSeq = new Int32Array(connections);
    this.delivered = new Int32Array(connections);
    this.reordered = new Int32Array(connections);
  }

  /** One auctionEvents frame received by connection `c` at `now` (ms since the epoch). */
  frame(c: number, buf: Buffer, start: number, end: number, now: number): void {
    this.frames++;
    this.frameBytes += end - start;
    const first = buf.indexOf(SEQ, start);
    const last = buf.lastIndexOf(SEQ, end - SEQ.length);
    const at = buf.indexOf(AT, start);
    if (first < 0 || first >= end || last < first || at < 0 || at >= end) return;
    const firstSeq = numberAt(buf, first + SEQ.length)[0];
    const lastSeq = numberAt(buf, last + SEQ.length)[0];
    const from = Math.max(firstSeq, this.lastSeq[c]! + 1);
    // Seqs at or below what the connection already had arrived out of order.
    this.reordered[c]! += Math.max(0, Math.min(lastSeq, this.lastSeq[c]!) - firstSeq + 1);
    if (lastSeq < from) return;
    const fresh = lastSeq - from + 1;
    this.lastSeq[c] = lastSeq;
    this.delivered[c]! += fresh;
    const ms = now - numberAt(buf, at + AT.length)[0];
    for (let i = 0; i < fresh; i++) this.latency.add(ms);
    if (ms > LATE_MS) this.late += fresh;
  }

  /** Connections that have not yet seen `finalSeq`. */
  behind(finalSeq: number): number {
    let n = 0;
    for (const s of this.lastSeq) if (s < finalSeq) n++;
    return n;
  }

  /** Events of 1..finalSeq never delivered (in order) to some connection. */
  lost(finalSeq: number): number {
    let n = 0;
    for (const d of this.delivered) n += Math.max(0, finalSeq - d);
    return n;
  }

  totalReordered(): number {
    let n = 0;
    for (const r of this.reordered) n += r;
    return n;
  }
}
