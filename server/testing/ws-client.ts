import WebSocket from 'ws';
import type { Notification, RequestData, RequestMethod, Response, ResponseData } from '#shared/protocol.ts';

/** A Node client of the realtime protocol, for integration tests and benchmarks. */
export class TestWsClient {
  readonly socket: WebSocket;
  readonly notifications: Notification[] = [];
  readonly #pending = new Map<number, (r: Response) => void>();
  #nextId = 1;

  static async connect(url: string, headers: Record<string, string> = {}): Promise<TestWsClient> {
    const socket = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return new TestWsClient(socket);
  }

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as Response | Notification;
      if ('id' in msg) this.#pending.get(msg.id)?.(msg);
      else this.notifications.push(msg);
    });
  }

  /** Sends a request and returns the whole reply (ok or error). */
  call<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<Response<M>> {
    return this.raw(JSON.stringify({ id: this.#nextId, method, data }), this.#nextId++) as Promise<Response<M>>;
  }

  async request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    const r = await this.call(method, data);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.data;
  }

  /** Sends any text; resolves with the reply to `expectId` if one is given. */
  raw(text: string | Buffer, expectId?: number): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (expectId !== undefined) this.#pending.set(expectId, resolve);
      this.socket.send(text, (err) => (err ? reject(err) : expectId === undefined && resolve(undefined as never)));
    });
  }

  async waitForNotification(name: string, timeoutMs = 5000): Promise<Notification> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.find((n) => n.notification === name);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${name} notification within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}
