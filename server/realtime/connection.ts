import type { WebSocket } from 'ws';
import { AppError, toErrorBody } from '../errors.ts';
import type { Logger } from '../log.ts';
import { RateLimiter } from '../limits/rate-limit.ts';
import * as metrics from '../metrics/metrics.ts';
import {
  MAX_WS_MESSAGE_BYTES,
  requestEnvelopeSchema,
  requestSchemas,
  type NotificationName,
  type Notifications,
  type RequestHandlers,
  type RequestMethod
} from '#shared/protocol.ts';

/**
 * The signed-in identity a socket acts as. `valid()` runs before every request (answered at once
 * until the session's known expiry, then by looking the session up again); when it says no, the
 * request is answered `unauthenticated` and `lost()` ends the socket.
 */
export interface SocketIdentity {
  valid(): boolean | Promise<boolean>;
  lost(): void;
}

/** Bad messages tolerated per window before the socket is closed as abusive. */
const BAD_MESSAGE_LIMIT = 20;
const REQUESTS_PER_SECOND = 50;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * One ws connection: parses every inbound frame against the protocol schemas,
 * answers each request exactly once, and closes the socket on a flood of bad input.
 */
export class Connection {
  readonly #socket: WebSocket;
  readonly #log: Logger;
  readonly #handlers: RequestHandlers;
  readonly #identity: SocketIdentity | null;
  readonly #bad = new RateLimiter({ limit: BAD_MESSAGE_LIMIT, windowMs: 10_000 });
  readonly #rate = new RateLimiter({ limit: REQUESTS_PER_SECOND, windowMs: 1000 });

  constructor(socket: WebSocket, handlers: RequestHandlers, log: Logger, identity: SocketIdentity | null = null) {
    this.#socket = socket;
    this.#handlers = handlers;
    this.#identity = identity;
    this.#log = log;
    socket.on('message', (raw, isBinary) => void this.#onMessage(raw as Buffer, isBinary));
  }

  notify<N extends NotificationName>(name: N, data: Notifications[N]): void {
    this.sendText(JSON.stringify({ notification: name, data }));
  }

  /** Sends a text frame; a Buffer is sent as-is so a room-wide frame is encoded once for all peers. */
  sendText(frame: string | Buffer): void {
    const socket = this.#socket;
    if (socket.readyState !== socket.OPEN) return;
    // A client that stopped reading would grow our memory without bound; it reconnects and resyncs.
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log.warn({ buffered: socket.bufferedAmount }, 'client too slow; dropping its connection');
      socket.terminate();
      return;
    }
    socket.send(frame, { binary: false });
  }

  async #onMessage(raw: Buffer, isBinary: boolean): Promise<void> {
    let id: number | null = null;
    metrics.wsMessages.inc();
    try {
      if (isBinary) throw new AppError('bad_request', 'Binary frames are not part of the protocol.');
      if (raw.length > MAX_WS_MESSAGE_BYTES) {
        // Answer the request by id when it leads the message, without parsing the whole body.
        const leadingId = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*,/.exec(raw.subarray(0, 64).toString('utf8'));
        if (leadingId) id = Number(leadingId[1]);
        throw new AppError('payload_too_large', `Messages may be at most ${MAX_WS_MESSAGE_BYTES} bytes.`);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('bad_request', 'Messages must be JSON.');
      }
      const envelope = requestEnvelopeSchema.safeParse(json);
      if (!envelope.success) throw new AppError('bad_request', 'Messages must be {id, method, data}.');
      id = envelope.data.id;
      if (!this.#rate.hit('all')) throw new AppError('rate_limited', 'Too many requests; slow down.');
      const valid = this.#identity?.valid() ?? true;
      if (valid === false || (valid !== true && !(await valid))) {
        this.#send({ id, ok: false, error: new AppError('unauthenticated', 'Your session has ended; sign in again.', { reason: 'session_ended' }).body });
        this.#identity?.lost();
        return;
      }
      const method = envelope.data.method;
      if (!Object.hasOwn(requestSchemas, method)) throw new AppError('bad_request', `Unknown method "${method}".`);
      const schema = requestSchemas[method as RequestMethod];
      const data = schema.safeParse(envelope.data.data ?? {});
      if (!data.success) {
        const issue = data.error.issues[0];
        const field = issue?.path.length ? issue.path.join('.') : undefined;
        throw new AppError('bad_request', `Invalid ${method}: ${issue ? `${field ?? 'data'} ${issue.message}` : 'bad data'}.`, {
          reason: 'invalid_input',
          ...(field && { field })
        });
      }
      const handler = this.#handlers[method as RequestMethod] as (d: unknown) => unknown;
      const result = await handler(data.data);
      this.#send({ id, ok: true, data: result ?? {} });
    } catch (err) {
      const body = toErrorBody(err);
      metrics.errors.inc({ transport: 'ws', code: body.code });
      if (body.code === 'internal') this.#log.error({ err }, 'request failed');
      else this.#log.info({ code: body.code, msg: body.message }, 'request rejected');
      if ((body.code === 'bad_request' || body.code === 'payload_too_large') && !this.#bad.hit('bad')) {
        this.#log.warn('too many bad messages; closing');
        this.#socket.close(1008, 'Too many invalid messages');
        return;
      }
      if (id === null) this.notify('error', body);
      else this.#send({ id, ok: false, error: body });
    }
  }

  #send(msg: unknown): void {
    this.sendText(JSON.stringify(msg));
  }
}
