import crypto from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client on a bare TCP socket, for tests that need what a browser
 * never sends: several frames in one TCP write, or a hand-written upgrade request.
 */
export class RawWsClient {
  readonly socket: net.Socket;
  /** Text frames received after the handshake, parsed as JSON. */
  readonly messages: unknown[] = [];
  #buffer = Buffer.alloc(0);

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
  }

  /** Completes the upgrade at `url` (ws://host:port/path) with the given extra headers. */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<RawWsClient> {
    const u = new URL(url);
    const socket = net.connect(Number(u.port), u.hostname);
    const lines = [
      `GET ${u.pathname} HTTP/1.1`,
      `Host: ${u.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
    ];
    const head = await exchange(socket, `${lines.join('\r\n')}\r\n\r\n`);
    if (!head.startsWith('HTTP/1.1 101')) {
      socket.destroy();
      throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    }
    return new RawWsClient(socket);
  }

  /** Sends every message as its own masked text frame, all in one TCP write. */
  sendBatch(messages: unknown[]): void {
    this.socket.write(Buffer.concat(messages.map((m) => maskedTextFrame(JSON.stringify(m)))));
  }

  async waitFor(predicate: (messages: unknown[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  #parse(): void {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const opcode = b[0]! & 0x0f;
      if (opcode === 1) this.messages.push(JSON.parse(b.subarray(offset, offset + length).toString('utf8')));
      this.#buffer = b.subarray(offset + length);
    }
  }
}

/** Writes a raw HTTP request and resolves with the response head (or whatever came before the socket closed). */
export function exchange(socket: net.Socket, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (chunk: Buffer) => {
      got += chunk.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end >= 0) done(got.slice(0, end));
    };
    const done = (head: string) => {
      socket.off('data', onData);
      resolve(head);
    };
    socket.on('data', onData);
    socket.once('close', () => done(got));
    socket.once('error', reject);
    socket.write(request);
  });
}

function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = crypto.randomBytes(4);
  const lengthBytes =
    payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81]), lengthBytes, mask, masked]);
}
