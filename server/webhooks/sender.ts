import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_RESPONSE_LOG_CHARS } from '#shared/webhooks.ts';
import { assertUrlForm, checkedLookup, RefusedAddressError, type AddressPolicy } from './address-policy.ts';

/** What one attempt got: an HTTP status (null when there was no answer) and the start of the answer, or why not. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  response: string;
}

export interface SignedMessage {
  /** The same for every attempt of one event, so receivers can drop repeats. */
  id: string;
  body: string;
}

/** Time one attempt may take, connection to last byte. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** Bytes of an answer read before the connection is dropped: enough for the log, too little to tie the server up. */
const MAX_READ_BYTES = 16 * 1024;

/**
 * POSTs signed messages (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature) to receivers
 * the address policy allows, over agents whose lookup checks every address it connects to.
 */
export class WebhookSender {
  readonly #policy: AddressPolicy;
  readonly #agents: { http: http.Agent; https: https.Agent };
  readonly #timeoutMs: number;

  constructor(policy: AddressPolicy, opts: { maxSockets: number; timeoutMs?: number }) {
    this.#policy = policy;
    this.#timeoutMs = opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
    const lookup = checkedLookup(policy) as unknown as http.AgentOptions['lookup'];
    this.#agents = { http: new http.Agent({ lookup, maxSockets: opts.maxSockets }), https: new https.Agent({ lookup, maxSockets: opts.maxSockets }) };
  }

  async send(url: string, secret: string, message: SignedMessage, now = new Date()): Promise<AttemptResult> {
    let target: URL;
    try {
      target = new URL(url);
      assertUrlForm(target, this.#policy);
    } catch (err) {
      return { ok: false, status: null, response: `refused: ${(err as Error).message}` };
    }
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Hawker-Webhooks/1',
      'webhook-id': message.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(message.id, now, message.body)
    };
    try {
      return await this.#post(target, headers, message.body);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e instanceof RefusedAddressError) return { ok: false, status: null, response: `refused: ${e.message}` };
      const reason = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${this.#timeoutMs / 1000} s` : (e.code ?? e.message);
      return { ok: false, status: null, response: truncate(`error: ${reason}`) };
    }
  }

  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  #post(target: URL, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const secure = target.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise<AttemptResult>((resolve, reject) => {
      // The timeout covers the whole attempt: a receiver that trickles its answer is cut off too.
      const signal = AbortSignal.timeout(this.#timeoutMs);
      const req = request(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: secure ? this.#agents.https : this.#agents.http, signal }, (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        let answered = false;
        const done = () => {
          if (answered) return;
          answered = true;
          const status = res.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status, response: truncate(Buffer.concat(chunks).toString('utf8')) });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          read += chunk.length;
          if (read >= MAX_READ_BYTES) done();
        });
        res.on('end', done);
        res.on('error', reject);
        res.on('close', () => answered || reject(signal.aborted ? signal.reason : new Error('the answer was cut off')));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

function truncate(text: string): string {
  return text.length > WEBHOOK_RESPONSE_LOG_CHARS ? `${text.slice(0, WEBHOOK_RESPONSE_LOG_CHARS)}…` : text;
}
