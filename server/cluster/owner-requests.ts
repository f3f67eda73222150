import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { errorStatus, type ErrorCode, type ErrorParams } from '#shared/errors.ts';
import { CURRENCIES } from '#shared/money.ts';
import { AppError, asAppError, toErrorBody } from '../errors.ts';
import { logger } from '../log.ts';
import { subscriberOf } from './redis.ts';

const log = logger('owner-requests');

const CHANNEL = 'hawker:node:';
const DEFAULT_TIMEOUT_MS = 2000;
const MAX_PENDING = 10_000;

/**
 * The owner of a show could not be asked: it is gone, restarting or overloaded, and another node will
 * own the show within seconds. Callers may look the owner up again; a client is told to try again.
 */
export class NodeUnavailable extends AppError<'unavailable'> {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** Answers a request from another node; it gets the payload as that node sent it and must validate it. */
export type RequestHandler = (payload: unknown, from: string) => Promise<unknown>;

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

const paramsSchema = z.object({
  reason: z.string().optional(),
  field: z.string().optional(),
  min: z.number().optional(),
  amount: z.number().optional(),
  currency: z.enum(CURRENCIES).optional(),
  limit: z.number().optional(),
  held: z.number().optional(),
  left: z.number().optional(),
  seconds: z.number().optional(),
  status: z.string().optional()
});

const messageSchema = z.union([
  z.object({ type: z.literal('request'), id: z.string(), from: z.string().min(1), method: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.string(), ok: z.literal(true), data: z.unknown() }),
  z.object({
    type: z.literal('reply'),
    id: z.string(),
    ok: z.literal(false),
    error: z.object({ code: z.enum(errorCodes), message: z.string(), params: paramsSchema.optional() })
  })
]);

type Message = z.infer<typeof messageSchema>;
type Request = Extract<Message, { type: 'request' }>;

interface Pending {
  resolve: (data: unknown) => void;
  reject: (err: AppError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request and reply between nodes over Redis, so a node can hand work (a bid) to the node that owns its
 * show. Each node listens on a channel of its own; a request names its sender, whose channel hears the
 * reply. A handler's AppError reaches the caller as it was thrown; any other failure stays in the
 * owner's log and the caller learns only that something went wrong.
 */
export class OwnerRequests {
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #node: string;
  readonly #maxPending: number;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #pending = new Map<string, Pending>();
  #closed = false;

  private constructor(redis: Redis, subscriber: Redis, nodeId: string, maxPending: number) {
    this.#redis = redis;
    this.#subscriber = subscriber;
    this.#node = nodeId;
    this.#maxPending = maxPending;
  }

  /** Listens on this node's channel. `maxPending` bounds the calls awaiting a reply at once. */
  static async start(redis: Redis, nodeId: string, opts: { maxPending?: number } = {}): Promise<OwnerRequests> {
    const subscriber = subscriberOf(redis);
    const requests = new OwnerRequests(redis, subscriber, nodeId, opts.maxPending ?? MAX_PENDING);
    subscriber.on('message', (_channel: string, text: string) => requests.#receive(text));
    await subscriber.subscribe(CHANNEL + nodeId);
    return requests;
  }

  /** Serves `method` for other nodes. */
  handle(method: string, fn: RequestHandler): void {
    if (this.#handlers.has(method)) throw new Error(`${method} already has a handler`);
    this.#handlers.set(method, fn);
  }

  /**
   * Asks node `nodeId` and resolves with its handler's answer, unvalidated. Rejects with a NodeUnavailable
   * when no node listens, no reply comes in time or too many calls are waiting; with the handler's own
   * AppError; or with an internal one.
   */
  async call(nodeId: string, method: string, payload: unknown, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    const id = randomUUID();
    const text = JSON.stringify({ type: 'request', id, from: this.#node, method, payload });
    if (this.#closed || this.#pending.size >= this.#maxPending) throw new NodeUnavailable('The server is busy; try again in a moment.');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(id, 'The show’s server did not answer in time; try again.'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#redis.publish(CHANNEL + nodeId, text).then(
        (listeners) => {
          // Nobody listens on that node's channel: it is gone, so fail now rather than at the timeout.
          if (listeners === 0) this.#fail(id, 'The show’s server is unavailable; try again in a moment.');
        },
        (err: Error) => {
          log.warn({ err: err.message, node: nodeId, method }, 'request not sent to its node');
          this.#fail(id, 'The show’s server cannot be reached; try again in a moment.');
        }
      );
    });
  }

  /** Stops listening; calls still waiting fail as unavailable. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of this.#pending.keys()) this.#fail(id, 'The server is shutting down; try again in a moment.');
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }

  #receive(text: string): void {
    const message = parse(text);
    if (!message) return log.warn('unreadable message from another node dropped');
    if (message.type === 'request') return void this.#answer(message);
    const call = this.#take(message.id);
    if (!call) return; // answered after its caller gave up
    if (message.ok) return call.resolve(message.data);
    const { code, message: said, params } = message.error;
    // `reason` was checked as a string; which strings a code allows is known only to the type checker.
    call.reject(new AppError(code, said, params as ErrorParams | undefined));
  }

  async #answer({ id, from, method, payload }: Request): Promise<void> {
    let reply: string;
    try {
      const handler = this.#handlers.get(method);
      if (!handler) throw new Error(`no handler for ${method}`);
      reply = JSON.stringify({ type: 'reply', id, ok: true, data: await handler(payload, from) });
    } catch (err) {
      if (!asAppError(err)) log.error({ err, method, from }, 'request from another node failed');
      reply = JSON.stringify({ type: 'reply', id, ok: false, error: toErrorBody(err) });
    }
    await this.#redis.publish(CHANNEL + from, reply).catch((err: Error) => log.warn({ err: err.message, node: from, method }, 'reply not sent; its caller times out'));
  }

  #fail(id: string, message: string): void {
    this.#take(id)?.reject(new NodeUnavailable(message));
  }

  #take(id: string): Pending | undefined {
    const call = this.#pending.get(id);
    if (!call) return undefined;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    return call;
  }
}

function parse(text: string): Message | null {
  try {
    return messageSchema.safeParse(JSON.parse(text)).data ?? null;
  } catch {
    return null;
  }
}
