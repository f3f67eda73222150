import net from 'node:net';
import type { RunningApp } from '../../app.ts';
import { exchange } from '../raw-ws.ts';
import { FuzzSocket, type Answer, type SentRequest } from './fuzz-socket.ts';
import { IdRef } from './id-pools.ts';
import { SLOTS, type Run, type Step } from './steps.ts';
import type { World } from './world.ts';

/** Requests naming a show (or a lot) must not succeed for one that does not exist. */
const SHOW_NAMING = new Set(['join', 'heart', 'vote', 'overlaySnapshot', 'chatHistory', 'auctionSnapshot', 'chatSend']);
const LOT_NAMING = new Set(['lotEvents', 'bid', 'setMaxBid']);
/** 503s that tell the client to fall back or retry, not that the server broke. */
const UNAVAILABLE_CODES = new Set(['at_capacity', 'media_unavailable']);
const LEAK = /\n\s+at |node_modules|\.ts:\d+|\/(home|work|usr|tmp)\//;
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Plays one generated run against the server: ws steps without waiting for answers (so
 * they race), HTTP steps in flight together until the next `settle`. Whatever breaks a
 * per-answer rule is written to `violations`; room and stock rules are checked by invariants.ts.
 */
export class RunExecutor {
  readonly sockets: (FuzzSocket | null)[] = Array(SLOTS).fill(null);
  /** Every socket of the run, also the replaced and dropped ones, for their answers' bookkeeping. */
  readonly everySocket: FuzzSocket[] = [];
  readonly violations: string[] = [];
  /** Orders a seller's `fulfil` was accepted for: refunding those must not put units back. */
  readonly fulfilled = new Set<string>();
  /** How often each request met each outcome (`ws join → ok`, `POST /api/buy → 201`): what the run reached. */
  readonly outcomes = new Map<string, number>();
  readonly #app: RunningApp;
  readonly #world: World;
  readonly #wsUrl: string;
  #inFlight: Promise<void>[] = [];

  constructor(app: RunningApp, world: World) {
    this.#app = app;
    this.#world = world;
    this.#wsUrl = `${app.url.replace('http', 'ws')}/ws`;
  }

  async execute(run: Run): Promise<void> {
    for (const [slot, actor] of run.sockets.entries()) await this.#step({ t: 'open', slot, actor });
    for (const step of run.steps) await this.#step(step);
    await this.settle();
  }

  /** Waits for every HTTP reply and every ws answer of sockets still open. */
  async settle(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#inFlight = [];
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      this.drain();
      const waiting = this.everySocket.filter((s) => !s.closed && s.unanswered().length);
      if (!waiting.length) return;
      if (Date.now() > deadline) {
        for (const s of waiting) for (const [id, r] of s.unanswered()) this.violations.push(`${r.method} (id ${id}) of ${s.actor} never answered: ${brief(r.data)}`);
        for (const s of waiting) s.destroy();
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  drain(): void {
    for (const s of this.everySocket) {
      s.drain((request, answer) => this.#checkAnswer(s, request, answer));
      for (const p of s.problems.splice(0)) this.violations.push(p);
    }
  }

  close(): void {
    for (const s of this.everySocket) s.destroy();
  }

  async #step(step: Step): Promise<void> {
    switch (step.t) {
      case 'open': {
        this.sockets[step.slot]?.destroy();
        const socket = await FuzzSocket.open(this.#wsUrl, step.actor, this.#world.cookies[step.actor]);
        this.sockets[step.slot] = socket;
        if (socket) this.everySocket.push(socket);
        return;
      }
      case 'drop':
        this.sockets[step.slot]?.destroy();
        return;
      case 'send': {
        const socket = this.sockets[step.slot];
        if (!socket) return;
        socket.send(step.frames.map((f) => ('junk' in f ? { text: f.junk } : { method: f.request, data: this.#world.pools.resolveDeep(f.data) })));
        return;
      }
      case 'http':
        this.#inFlight.push(this.#http(step));
        return;
      case 'upgrade':
        this.#inFlight.push(this.#upgrade(step.path, step.cookie));
        return;
      case 'settle':
        await this.settle();
        return;
    }
  }

  #checkAnswer(socket: FuzzSocket, request: SentRequest, answer: Answer): void {
    const what = `${request.method} by ${socket.actor} ${brief(request.data)}`;
    this.#count(`ws ${request.method} → ${answer.ok ? 'ok' : answer.error?.code}`);
    if (!answer.ok && answer.error?.code === 'internal') this.violations.push(`ws ${what} → internal error`);
    if (!answer.ok && LEAK.test(answer.error?.message ?? '')) this.violations.push(`ws ${what} leaks internals: ${answer.error?.message}`);
    if (answer.ok) this.#world.pools.learn(answer.data);
    if (answer.ok && request.method === 'createTransport') this.#world.pools.add('transport', (answer.data as { id: string }).id);
    const data = request.data as Record<string, unknown> | null;
    if (answer.ok && SHOW_NAMING.has(request.method) && !this.#world.pools.all('show').includes(data?.showId as string)) {
      this.violations.push(`ws ${what} succeeded for a show that does not exist`);
    }
    if (answer.ok && LOT_NAMING.has(request.method) && !this.#world.pools.all('lot').includes(data?.lotId as string)) {
      this.violations.push(`ws ${what} succeeded for a lot that does not exist`);
    }
  }

  #count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  async #http(step: Extract<Step, { t: 'http' }>): Promise<void> {
    const pools = this.#world.pools;
    const params = step.params.map((p) => String(p instanceof IdRef ? this.#protectLedger(step, pools.resolve(p)) : p));
    let i = 0;
    const path = step.route.path.replace(/:\w+/g, () => params[i++]!);
    const body = step.body === undefined ? undefined : step.rawBody ? '{"broken": ' : JSON.stringify(pools.resolveDeep(step.body));
    const what = `${step.route.method} ${path} by ${step.actor} ${body === undefined ? '' : brief(body)}`;
    try {
      const res = await fetch(`${this.#app.url}${path}`, {
        method: step.route.method,
        headers: { 'content-type': 'application/json', cookie: this.#world.cookies[step.actor] },
        body,
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS)
      });
      const text = await res.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Checked below as any other body.
      }
      const code = json?.error?.code as string | undefined;
      this.#count(`${step.route.method} ${step.route.path} → ${res.status}`);
      if (res.status >= 500 && !(res.status === 503 && code && UNAVAILABLE_CODES.has(code))) this.violations.push(`http ${what} → ${res.status} ${text.slice(0, 120)}`);
      else if (code === 'internal') this.violations.push(`http ${what} → internal error`);
      if (LEAK.test(text)) this.violations.push(`http ${what} leaks internals: ${text.slice(0, 200)}`);
      if (res.ok && json) {
        pools.learn(json);
        if (/\/orders\/[^/]+\/fulfil$/.test(path)) this.fulfilled.add(params[0]!);
      }
    } catch (err) {
      this.violations.push(`http ${what} got no reply: ${(err as Error).message}`);
    }
  }

  /**
   * A stock edit by the variant's owner (or an admin) is legitimate and would reset the stock
   * ledger, so it goes to a variant outside the ledger; anyone else's edit must be refused.
   */
  #protectLedger(step: Extract<Step, { t: 'http' }>, id: string | number): string | number {
    if (!/^\/api\/variants\/:id\/stock$/.test(step.route.path) || !this.#world.initialStock.has(String(id))) return id;
    const owner = this.#world.ownerOf.get(String(id));
    return step.actor === owner || step.actor === 'admin' ? this.#world.scratchVariantId : id;
  }

  async #upgrade(path: string, cookie: string): Promise<void> {
    const { port, hostname } = new URL(this.#app.url);
    const socket = net.connect(Number(port), hostname);
    socket.on('error', () => {});
    const head = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', ...(cookie ? [`Cookie: ${cookie}`] : [])];
    const reply = await Promise.race([exchange(socket, `${head.join('\r\n')}\r\n\r\n`).catch(() => ''), new Promise<string>((r) => setTimeout(() => r('(timeout)'), 3000))]);
    socket.destroy();
    if (/^HTTP\/1\.1 5/.test(reply)) this.violations.push(`upgrade ${path} with cookie "${cookie}" → ${reply.split('\r\n')[0]}`);
  }
}

function brief(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? '' : text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
