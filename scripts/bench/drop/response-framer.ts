/**
 * Splits a stream of HTTP/1.1 responses (as pipelined requests get them back, in order) into
 * status and body, reading only the status line and Content-Length: the generator parses no more
 * than it must. The server answers every API request with a Content-Length body, never chunked.
 */
export interface RawResponse {
  status: number;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export class ResponseFramer {
  #pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes from the socket; returns the responses they complete, in order. */
  push(chunk: Buffer): RawResponse[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const out: RawResponse[] = [];
    let at = 0;
    for (;;) {
      const headEnd = this.#pending.indexOf(HEAD_END, at);
      if (headEnd < 0) break;
      const head = this.#pending.toString('latin1', at, headEnd);
      const status = Number(head.slice(9, 12));
      const length = contentLength(head);
      const bodyStart = headEnd + HEAD_END.length;
      if (this.#pending.length < bodyStart + length) break;
      out.push({ status, body: this.#pending.subarray(bodyStart, bodyStart + length) });
      at = bodyStart + length;
    }
    this.#pending = this.#pending.subarray(at);
    return out;
  }
}

function contentLength(head: string): number {
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (m) return Number(m[1]);
  if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('chunked responses are not expected from the API');
  return 0;
}
