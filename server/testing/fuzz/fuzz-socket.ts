import crypto from 'node:crypto';
import { RawWsClient } from '../raw-ws.ts';
import type { ActorName } from './world.ts';

/** Ids below this are left to hand-written junk frames, so their answers are never mistaken for ours. */
const FIRST_ID = 1000;

export interface Answer {
  id: number;
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface SentRequest {
  method: string;
  data: unknown;
  answer: Answer | null;
}

/**
 * One fuzzed ws connection: numbers its requests, and files each frame that comes back
 * as the answer to one of them (noting any second answer or answer to nothing) or a notification.
 */
export class FuzzSocket {
  readonly actor: ActorName;
  readonly client: RawWsClient;
  readonly requests = new Map<number, SentRequest>();
  readonly notifications: { notification: string; data: any }[] = [];
  /** Joins answered ok, in the order their answers came. */
  readonly joins: { showId: string; role: string }[] = [];
  readonly problems: string[] = [];
  #nextId = FIRST_ID;
  #read = 0;
  #closed = false;

  private constructor(actor: ActorName, client: RawWsClient) {
    this.actor = actor;
    this.client = client;
    client.socket.on('close', () => (this.#closed = true));
    client.socket.on('error', () => (this.#closed = true));
    // The raw client keeps only text frames; a close frame from the server ends the socket for us too.
    onCloseFrame(client, () => this.destroy());
  }

  static async open(url: string, actor: ActorName, cookie: string): Promise<FuzzSocket | null> {
    try {
      return new FuzzSocket(actor, await RawWsClient.connect(url, cookie ? { cookie } : {}));
    } catch {
      // Refused (a socket limit, say): the slot stays empty.
      return null;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Numbers `requests`, sends them and `junk` in one TCP write; returns the ids. */
  send(frames: ({ method: string; data: unknown } | { text: string })[]): number[] {
    if (this.#closed) return [];
    const ids: number[] = [];
    const payloads = frames.map((f) => {
      if ('text' in f) return { text: f.text };
      const id = this.#nextId++;
      ids.push(id);
      this.requests.set(id, { method: f.method, data: f.data, answer: null });
      return { text: JSON.stringify({ id, method: f.method, data: f.data }) };
    });
    this.client.socket.write(Buffer.concat(payloads.map((p) => maskedTextFrame(p.text))));
    return ids;
  }

  /** Files the frames received since the last call. */
  drain(onAnswer: (request: SentRequest, answer: Answer) => void): void {
    const messages = this.client.messages;
    for (; this.#read < messages.length; this.#read++) {
      const msg = messages[this.#read] as Record<string, any>;
      if (typeof msg.id !== 'number') {
        this.notifications.push(msg as never);
        continue;
      }
      if (msg.id < FIRST_ID) continue;
      const request = this.requests.get(msg.id);
      if (!request) this.problems.push(`answer to id ${msg.id}, which was never sent: ${JSON.stringify(msg).slice(0, 200)}`);
      else if (request.answer) this.problems.push(`${request.method} (id ${msg.id}) answered twice`);
      else {
        request.answer = msg as Answer;
        if (request.method === 'join' && msg.ok) {
          const data = request.data as { showId: string; role: string };
          this.joins.push({ showId: data.showId, role: data.role });
        }
        onAnswer(request, msg as Answer);
      }
    }
  }

  /** Requests still waiting for their answer. */
  unanswered(): [number, SentRequest][] {
    return [...this.requests].filter(([, r]) => !r.answer);
  }

  lastNotification(name: string): any {
    return this.notifications.findLast((n) => n.notification === name)?.data;
  }

  destroy(): void {
    this.client.destroy();
    this.#closed = true;
  }
}

/** A client text frame of any length (the 64-bit length form too, for oversized messages). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const head = Buffer.alloc(n < 126 ? 2 : n < 65_536 ? 4 : 10);
  head[0] = 0x81; // FIN, text
  if (n < 126) head[1] = 0x80 | n;
  else if (n < 65_536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = crypto.randomBytes(4);
  for (let i = 0; i < n; i++) payload[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, mask, payload]);
}

/** Calls `onClose` when the server sends a close frame (server frames are unmasked). */
function onCloseFrame(client: RawWsClient, onClose: () => void): void {
  let buffer = Buffer.alloc(0);
  client.socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const short = buffer[1]! & 0x7f;
      const offset = short === 126 ? 4 : short === 127 ? 10 : 2;
      if (buffer.length < offset) return;
      const length = short === 126 ? buffer.readUInt16BE(2) : short === 127 ? Number(buffer.readBigUInt64BE(2)) : short;
      if (buffer.length < offset + length) return;
      if ((buffer[0]! & 0x0f) === 8) return onClose();
      buffer = buffer.subarray(offset + length);
    }
  });
}
