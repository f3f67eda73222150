import type { ErrorBody } from '$shared/errors';
import type { NotificationName, Notifications, RequestData, RequestMethod, ResponseData } from '$shared/protocol';
import { ClientError } from '$lib/client-error';
import { RetrySchedule } from './retry-schedule';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };
type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The part of a browser WebSocket this client uses, so tests can hand in a fake one. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
}

/** `WebSocket.OPEN`, spelled out so the client also runs where no WebSocket global exists. */
const OPEN = 1;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The browser end of the realtime protocol (media signalling, bids, overlay, chat): typed
 * requests with one reply each, notifications by name, and automatic reconnection with
 * backoff. Every time the socket (re)opens, `onOpen` listeners run so callers can rejoin.
 */
export class RealtimeClient {
  readonly #url: string;
  readonly #openSocket: (url: string) => SocketLike;
  #ws: SocketLike | null = null;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #handlers = new Map<string, Set<(data: never) => void>>();
  #openListeners = new Set<() => void>();
  #stateListeners = new Set<(s: ConnectionState) => void>();
  #joinListeners = new Set<(showId: string, ok: boolean) => void>();
  #openWaiters = new Set<{ resolve: () => void; reject: (e: ClientError) => void }>();
  // Backoff with jitter so a server restart is not met by every viewer at once; never gives up.
  readonly #reconnect: RetrySchedule;
  #closed = false;
  #state: ConnectionState = 'connecting';

  constructor(opts: { url?: string; openSocket?: (url: string) => SocketLike; random?: () => number } = {}) {
    this.#url = opts.url ?? defaultUrl();
    this.#openSocket = opts.openSocket ?? ((url) => new WebSocket(url));
    this.#reconnect = new RetrySchedule({ baseMs: 250, maxMs: 5000, attempts: Infinity, random: opts.random });
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    if (this.#state === 'connecting') return this.#firstOpen().then(() => this.request(method, data));
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN) return Promise.reject(new ClientError('disconnected', 'Not connected.'));
    const id = this.#nextId++;
    const promise = new Promise<ResponseData[M]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ClientError('timeout', `${method} timed out.`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve: (v) => resolve(v as ResponseData[M]), reject, timer });
      ws.send(JSON.stringify({ id, method, data }));
    });
    if (method === 'join') {
      // Room-wide notifications flow once joined; listeners fetch the state they may have missed.
      const showId = (data as RequestData<'join'>).showId;
      promise.then(
        () => this.#joinListeners.forEach((l) => l(showId, true)),
        () => this.#joinListeners.forEach((l) => l(showId, false))
      );
    }
    return promise;
  }

  on<N extends NotificationName>(name: N, handler: (data: Notifications[N]) => void): () => void {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    set.add(handler as (data: never) => void);
    return () => set.delete(handler as (data: never) => void);
  }

  onOpen(listener: () => void): () => void {
    this.#openListeners.add(listener);
    if (this.#state === 'open') listener();
    return () => this.#openListeners.delete(listener);
  }

  /** Runs after every `join` settles: `ok` after the first join and every rejoin, not `ok` when it was refused. */
  onJoin(listener: (showId: string, ok: boolean) => void): () => void {
    this.#joinListeners.add(listener);
    return () => this.#joinListeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    listener(this.#state);
    return () => this.#stateListeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#settleWaiters(new ClientError('disconnected', 'Not connected.'));
    this.#reconnect.cancel();
    this.#ws?.close();
    this.#setState('closed');
  }

  #connect(): void {
    const ws = this.#openSocket(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      this.#reconnect.reset();
      this.#setState('open');
      for (const l of this.#openListeners) l();
      // After the open listeners, so a page's join goes out before what it asked for while loading.
      this.#settleWaiters(null);
    };
    ws.onmessage = (ev) => this.#onMessage(String(ev.data));
    ws.onclose = () => {
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new ClientError('disconnected', 'Connection lost.'));
      }
      this.#pending.clear();
      this.#settleWaiters(new ClientError('disconnected', 'Not connected.'));
      if (this.#closed) return;
      this.#setState('reconnecting');
      this.#reconnect.schedule(() => this.#connect());
    };
  }

  /**
   * A request made while the page's first connection is still opening (a chat message typed during
   * load) waits for it; once the page has been connected, a lost connection refuses at once.
   */
  #firstOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e: ClientError) => (clearTimeout(timer), reject(e))
      };
      const timer = setTimeout(() => {
        this.#openWaiters.delete(waiter);
        reject(new ClientError('timeout', 'Not connected.'));
      }, REQUEST_TIMEOUT_MS);
      this.#openWaiters.add(waiter);
    });
  }

  #settleWaiters(error: ClientError | null): void {
    for (const w of this.#openWaiters) (error ? w.reject(error) : w.resolve());
    this.#openWaiters.clear();
  }

  #onMessage(raw: string): void {
    let msg: { id?: number; ok?: boolean; data?: unknown; error?: ErrorBody; notification?: string };
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.data);
      else p.reject(ClientError.fromReply(msg.error, 'Request failed.'));
    } else if (msg.notification) {
      for (const h of this.#handlers.get(msg.notification) ?? []) (h as (d: unknown) => void)(msg.data);
    }
  }

  #setState(s: ConnectionState): void {
    this.#state = s;
    for (const l of this.#stateListeners) l(s);
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
