import type {
  ErrorBody,
  NotificationName,
  Notifications,
  RequestData,
  RequestMethod,
  ResponseData
} from '$shared/protocol';

/** A server error code, or one the client raises itself when no reply can come. */
export type RequestErrorCode = ErrorBody['code'] | 'disconnected' | 'timeout';

export class RequestError extends Error {
  readonly code: RequestErrorCode;
  constructor(body: { code: RequestErrorCode; message: string }) {
    super(body.message);
    this.code = body.code;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };
type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The browser end of the realtime protocol: typed requests with one reply each,
 * notifications by name, and automatic reconnection with backoff. Every time the
 * socket (re)opens, `onOpen` listeners run so callers can rejoin from scratch.
 */
export class SignalingClient {
  readonly #url: string;
  #ws: WebSocket | null = null;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #handlers = new Map<string, Set<(data: never) => void>>();
  #openListeners = new Set<() => void>();
  #stateListeners = new Set<(s: ConnectionState) => void>();
  #joinListeners = new Set<(showId: string) => void>();
  #attempt = 0;
  #closed = false;
  #state: ConnectionState = 'connecting';

  constructor(url = defaultUrl()) {
    this.#url = url;
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new RequestError({ code: 'disconnected', message: 'Not connected.' }));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestError({ code: 'timeout', message: `${method} timed out.` }));
      }, REQUEST_TIMEOUT_MS);
      const done = (v: unknown) => {
        resolve(v as ResponseData[M]);
        // Room-wide notifications flow once joined; listeners fetch state they may have missed.
        if (method === 'join') for (const l of this.#joinListeners) l((data as RequestData<'join'>).showId);
      };
      this.#pending.set(id, { resolve: done, reject, timer });
      ws.send(JSON.stringify({ id, method, data }));
    });
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

  /** Runs after every successful `join` (first join, rejoin after a drop or a media reset). */
  onJoined(listener: (showId: string) => void): () => void {
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
    this.#ws?.close();
    this.#setState('closed');
  }

  #connect(): void {
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
      for (const l of this.#openListeners) l();
    };
    ws.onmessage = (ev) => this.#onMessage(String(ev.data));
    ws.onclose = () => {
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new RequestError({ code: 'disconnected', message: 'Connection lost.' }));
      }
      this.#pending.clear();
      if (this.#closed) return;
      this.#setState('reconnecting');
      // Backoff with jitter so a server restart is not met by every viewer at once.
      const delay = Math.min(5000, 250 * 2 ** this.#attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.#connect(), delay);
    };
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
      else p.reject(new RequestError(msg.error ?? { code: 'internal', message: 'Request failed.' }));
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
