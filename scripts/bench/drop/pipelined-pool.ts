/**
 * A few raw keep-alive TCP connections that carry HTTP/1.1 requests pipelined: a request is a
 * prebuilt buffer written to the socket, and each reply is matched to the oldest request still
 * waiting on that socket. No HTTP client library, no per-request objects beyond one callback, so
 * the generator costs a small fraction of what the server spends answering.
 * Open a pool right before a phase: the server drops connections idle for 5 s.
 */
import net from 'node:net';
import { ResponseFramer, type RawResponse } from './response-framer.ts';

/** `sentAt` and `answeredAt` are performance.now() readings. */
export type Answer = RawResponse & { sentAt: number; answeredAt: number };
type Waiter = { sentAt: number; done: (a: Answer) => void; fail: (e: Error) => void };

class Connection {
  readonly socket: net.Socket;
  readonly #waiting: Waiter[] = [];
  #head = 0;

  constructor(socket: net.Socket) {
    this.socket = socket;
    const framer = new ResponseFramer();
    socket.on('data', (chunk: Buffer) => {
      const answeredAt = performance.now();
      for (const r of framer.push(chunk)) {
        const w = this.#waiting[this.#head++]!;
        w.done({ ...r, sentAt: w.sentAt, answeredAt });
      }
      if (this.#head === this.#waiting.length) (this.#waiting.length = 0), (this.#head = 0);
    });
    // The server closes a keep-alive connection idle for 5 s; a request left on it must fail, not hang.
    socket.on('close', () => {
      const error = new Error('the server closed a connection with requests unanswered');
      for (const w of this.#waiting.splice(this.#head)) w.fail(error);
      this.#head = 0;
    });
    socket.on('error', () => {}); // 'close' follows and reports it
  }

  send(requests: Buffer[], sentAt: number, done: (a: Answer) => void, fail: (e: Error) => void): void {
    if (this.socket.destroyed) return fail(new Error('the server closed the connection'));
    for (let i = 0; i < requests.length; i++) this.#waiting.push({ sentAt, done, fail });
    this.socket.write(requests.length === 1 ? requests[0]! : Buffer.concat(requests));
  }
}

export class PipelinedPool {
  readonly #connections: Connection[];
  #next = 0;

  constructor(connections: Connection[]) {
    this.#connections = connections;
  }

  static async open(url: string, count: number): Promise<PipelinedPool> {
    const { hostname, port } = new URL(url);
    const sockets = await Promise.all(
      Array.from({ length: count }, () => new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(s));
        s.once('error', reject);
      }))
    );
    return new PipelinedPool(sockets.map((s) => new Connection(s)));
  }

  get size(): number {
    return this.#connections.length;
  }

  /** Writes the requests on the next connection, in one write; resolves with their answers in order. */
  send(requests: Buffer[]): Promise<Answer[]> {
    const connection = this.#connections[this.#next++ % this.#connections.length]!;
    return new Promise((resolve, reject) => {
      const answers: Answer[] = [];
      const done = (a: Answer) => {
        answers.push(a);
        if (answers.length === requests.length) resolve(answers);
      };
      connection.send(requests, performance.now(), done, reject);
    });
  }

  close(): void {
    for (const c of this.#connections) c.socket.destroy();
  }
}

/** A POST with a JSON body, as bytes ready to be written. */
export function jsonPost(host: string, path: string, cookie: string, body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body));
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n`, 'latin1'),
    json
  ]);
}
