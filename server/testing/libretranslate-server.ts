import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A word list per target: enough to see that text was translated, and into which language. */
const WORDS: Record<string, Record<string, string>> = {
  es: { hello: 'hola', everyone: 'todos', welcome: 'bienvenidos', the: 'el', bag: 'bolso', is: 'es', great: 'genial', friends: 'amigos' },
  ko: { hello: '안녕하세요', everyone: '여러분', welcome: '환영합니다', bag: '가방', great: '좋아요', friends: '친구들' },
  en: { hola: 'hello', todos: 'everyone', bolso: 'bag', genial: 'great', amigos: 'friends' }
};

const LANGUAGES = [
  { code: 'en', name: 'English', targets: ['en', 'es', 'ko', 'zh-Hans'] },
  { code: 'es', name: 'Spanish', targets: ['en', 'es'] },
  { code: 'ko', name: 'Korean', targets: ['en', 'ko'] },
  { code: 'zh-Hans', name: 'Chinese (Simplified)', targets: ['en', 'zh-Hans'] },
  { code: 'zh-Hant', name: 'Chinese (Traditional)', targets: ['en', 'zh-Hant'] }
];

/** One `/translate` request as the server read it. */
export interface TranslateCall {
  q: string[];
  source: string;
  target: string;
}

/**
 * A LibreTranslate server on loopback for tests: `GET /languages` and `POST /translate` (JSON or form),
 * validating as the real one does (400 without q, source or target, or with a language it lacks; 403
 * without the right api_key when one is set) and translating word by word from a small list.
 */
export class LibreTranslateServer {
  readonly calls: TranslateCall[] = [];
  /** Makes every request fail with this status, or hang, until set back to null. */
  failWith: number | 'hang' | null = null;
  readonly #server: http.Server;
  readonly #apiKey: string | null;

  private constructor(server: http.Server, apiKey: string | null) {
    this.#server = server;
    this.#apiKey = apiKey;
  }

  static async start(opts: { apiKey?: string } = {}): Promise<LibreTranslateServer> {
    const server = http.createServer();
    const lt = new LibreTranslateServer(server, opts.apiKey ?? null);
    server.on('request', (req, res) => void lt.#answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return lt;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.failWith === 'hang') return;
    const reply = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (this.failWith) return reply(this.failWith, { error: 'Failing on purpose' });
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/languages') return reply(200, LANGUAGES);
    if (req.method !== 'POST' || url.pathname !== '/translate') return reply(404, { error: 'Not Found' });
    const raw = Buffer.concat(chunks).toString('utf8');
    let p: Record<string, unknown>;
    try {
      p = (req.headers['content-type'] ?? '').startsWith('application/json') ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return reply(400, { error: 'Invalid request: malformed JSON' });
    }
    for (const field of ['q', 'source', 'target']) if (p[field] === undefined || p[field] === '') return reply(400, { error: `Invalid request: missing ${field} parameter` });
    if (this.#apiKey !== null && p.api_key !== this.#apiKey) return reply(403, { error: 'Invalid API key' });
    const { q, source, target } = p as { q: unknown; source: string; target: string };
    const from = LANGUAGES.find((l) => l.code === source);
    if (!from) return reply(400, { error: `${source} is not supported` });
    if (!from.targets.includes(target)) return reply(400, { error: `${target} is not supported` });
    const texts = Array.isArray(q) ? q : [q];
    if (!texts.every((t) => typeof t === 'string')) return reply(400, { error: 'Invalid request: q must be text' });
    this.calls.push({ q: texts as string[], source, target });
    const out = (texts as string[]).map((t) => translateWords(t, target));
    reply(200, { translatedText: Array.isArray(q) ? out : out[0] });
  }
}

function translateWords(text: string, target: string): string {
  const words = WORDS[target.slice(0, 2)] ?? {};
  return text.replace(/\p{L}+/gu, (w) => words[w.toLowerCase()] ?? w);
}
