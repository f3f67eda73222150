/**
 * The least of RFC 6455 a bench client needs: the upgrade request, masked client frames, and a
 * reader that splits the server's byte stream into frames without copying unless a frame spans
 * two reads. Text payloads are handed over as byte ranges; nothing is decoded unless asked.
 */
import crypto from 'node:crypto';

export const OPCODE = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export function upgradeRequest(host: string, path: string): Buffer {
  const key = crypto.randomBytes(16).toString('base64');
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
}

/** A client frame (clients must mask; a zero mask leaves the payload as it is, so no XOR pass is needed). */
export function clientFrame(opcode: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const len = body.length;
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.alloc(head + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) (out[1] = 0x80 | 126), out.writeUInt16BE(len, 2);
  else (out[1] = 0x80 | 127), out.writeBigUInt64BE(BigInt(len), 2);
  body.copy(out, head + 4);
  return out;
}

export interface FrameSink {
  /** The server accepted the upgrade (101). */
  open(): void;
  /** A whole frame; `payload[start, end)` is its (unmasked) body, valid only during the call. */
  frame(opcode: number, payload: Buffer, start: number, end: number): void;
  /** The upgrade was refused or the stream broke the protocol. */
  fail(reason: string): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Feeds a connection's reads, in order, to a sink: first the HTTP answer, then frames. */
export class FrameReader {
  readonly #sink: FrameSink;
  #upgraded = false;
  #rest: Buffer | null = null;
  #failed = false;

  constructor(sink: FrameSink) {
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    if (this.#failed) return;
    let buf = chunk;
    if (this.#rest) {
      buf = Buffer.concat([this.#rest, chunk]);
      this.#rest = null;
    }
    let at = 0;
    if (!this.#upgraded) {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) return void (this.#rest = Buffer.from(buf));
      const status = buf.toString('latin1', 0, Math.min(end, 64)).split(' ')[1];
      if (status !== '101') return this.#fail(`upgrade answered ${status}`);
      this.#upgraded = true;
      this.#sink.open();
      at = end + HEADER_END.length;
    }
    while (at < buf.length) {
      if (buf.length - at < 2) break;
      const b0 = buf[at]!;
      const b1 = buf[at + 1]!;
      if (b1 & 0x80) return this.#fail('server frames must not be masked');
      if ((b0 & 0x80) === 0) return this.#fail('fragmented frames are not expected');
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = Number(buf.readBigUInt64BE(at + 2));
        head = 10;
      }
      if (buf.length - at < head + len) break;
      this.#sink.frame(b0 & 0x0f, buf, at + head, at + head + len);
      at += head + len;
    }
    // A partial frame is kept for the next read (copied: the read buffer may be reused).
    if (at < buf.length) this.#rest = Buffer.from(buf.subarray(at));
  }

  #fail(reason: string): void {
    this.#failed = true;
    this.#sink.fail(reason);
  }
}
