import type { ErrorCode } from '$shared/errors';
import type { NotificationName, Notifications } from '$shared/protocol';
import { RealtimeClient, type SocketLike } from '$lib/realtime/realtime-client';

export type SentRequest = { id: number; method: string; data: unknown };
/** The fake server's answer to a request: reply data, an error, or nothing (no reply comes). */
export type Answer = { data: unknown } | { error: ErrorCode } | undefined;

/** A socket a test drives by hand: it opens and drops when told, records requests and answers them. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: SentRequest[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  readonly #answer: (req: SentRequest) => Answer;

  constructor(answer: (req: SentRequest) => Answer) {
    this.#answer = answer;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }

  /** The connection is lost (a server restart, a network change). */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }

  send(raw: string): void {
    const req = JSON.parse(raw) as SentRequest;
    this.sent.push(req);
    const answer = this.#answer(req);
    if (!answer) return;
    const reply = 'data' in answer ? { id: req.id, ok: true, data: answer.data } : { id: req.id, ok: false, error: { code: answer.error, message: `${req.method} refused` } };
    // A reply arrives later than the send, as over a real socket.
    queueMicrotask(() => this.#deliver(reply));
  }

  notify<N extends NotificationName>(notification: N, data: Notifications[N]): void {
    this.#deliver({ notification, data });
  }

  close(): void {
    this.readyState = 3;
  }

  #deliver(msg: unknown): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
}

/** A RealtimeClient over fake sockets (a new one per reconnect) with jitter fixed at its longest delay. */
export function fakeConnection(answer: (req: SentRequest) => Answer = () => ({ data: {} })) {
  const sockets: FakeSocket[] = [];
  const client = new RealtimeClient({
    url: 'ws://test/ws',
    openSocket: () => {
      const s = new FakeSocket(answer);
      sockets.push(s);
      return s;
    },
    random: () => 1
  });
  return {
    client,
    sockets,
    get socket(): FakeSocket {
      return sockets.at(-1)!;
    },
    /** Every request sent so far, over every socket. */
    get sent(): SentRequest[] {
      return sockets.flatMap((s) => s.sent);
    }
  };
}

/** Lets queued replies and the promise chains behind them run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
