/**
 * A local OpenAI-compatible transcription endpoint for tests and the captions bench:
 * `POST /v1/audio/transcriptions`, validated as OpenAI's API validates it (multipart/form-data, a
 * `file` of a known audio type up to 25 MB, a `model`, a known `response_format`, a bearer key when
 * one is set; OpenAI-shaped errors otherwise), answered by real recognition: FFmpeg decodes the file
 * and PocketSphinx transcribes it. English only, as PocketSphinx is.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { parseSphinxLine, type SphinxLine } from '../captions/engines/pocketsphinx/sphinx-lines.ts';
import { SPHINX_BIN, sphinxArgs } from '../captions/engines/pocketsphinx/pocketsphinx.ts';

const MAX_FILE_BYTES = 25 * 1024 * 1024;
const AUDIO_EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];

/** What one request asked for, as the server parsed it. */
export interface TranscriptionCall {
  status: number;
  model?: string;
  language?: string;
  responseFormat?: string;
  fileBytes?: number;
  startedAt: number;
  endedAt: number;
}

class ApiError extends Error {
  readonly status: number;
  readonly param: string | null;
  readonly code: string | null;
  readonly type: string;

  constructor(status: number, message: string, param: string | null = null, code: string | null = null, type = 'invalid_request_error') {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
    this.type = type;
  }
}

export class TranscriptionServer {
  readonly calls: TranscriptionCall[] = [];
  /** Most requests it was answering at one moment. */
  maxConcurrent = 0;
  /** Added before each answer: a slow endpoint. */
  delayMs = 0;
  readonly #server: http.Server;
  readonly #key: string | undefined;
  #active = 0;
  #warm = startRecogniser();

  private constructor(server: http.Server, key: string | undefined) {
    this.#server = server;
    this.#key = key;
  }

  /** Listens on 127.0.0.1 (`port` 0: any free one); with `key`, requests must carry `Authorization: Bearer <key>`. */
  static async start(o: { port?: number; key?: string } = {}): Promise<TranscriptionServer> {
    const server = http.createServer();
    const me = new TranscriptionServer(server, o.key);
    server.on('request', (req, res) => void me.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
    return me;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#warm.kill('SIGKILL');
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const call: TranscriptionCall = { status: 200, startedAt: Date.now(), endedAt: 0 };
    this.#active += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#active);
    try {
      const { body, type } = await this.#answer(req, call);
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'The server had an error while processing your request.', null, null, 'server_error');
      call.status = e.status;
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }));
    } finally {
      this.#active -= 1;
      call.endedAt = Date.now();
      this.calls.push(call);
    }
  }

  async #answer(req: http.IncomingMessage, call: TranscriptionCall): Promise<{ body: string; type: string }> {
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') throw new ApiError(404, `Invalid URL (${req.method} ${req.url})`);
    if (this.#key !== undefined) {
      const auth = req.headers.authorization;
      if (!auth) throw new ApiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.");
      if (auth !== `Bearer ${this.#key}`) throw new ApiError(401, 'Incorrect API key provided.', null, 'invalid_api_key');
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) {
      throw new ApiError(400, `Invalid Content-Type header (${contentType.split(';')[0] || 'none'}), expected multipart/form-data.`, null, 'invalid_content_type');
    }
    const bytes = await readBody(req, MAX_FILE_BYTES + 1024 * 1024);
    let form: FormData;
    try {
      form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(bytes) }).formData();
    } catch {
      throw new ApiError(400, 'Could not parse multipart form.');
    }
    const file = form.get('file');
    const model = form.get('model');
    const language = form.get('language');
    const format = form.get('response_format') ?? 'json';
    call.model = typeof model === 'string' ? model : undefined;
    call.language = typeof language === 'string' ? language : undefined;
    call.responseFormat = typeof format === 'string' ? format : undefined;
    if (!(file instanceof File)) throw new ApiError(400, "Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
    call.fileBytes = file.size;
    if (typeof model !== 'string' || model === '') throw new ApiError(400, 'you must provide a model parameter', 'model', 'missing_required_parameter');
    if (typeof format !== 'string' || !RESPONSE_FORMATS.includes(format)) {
      throw new ApiError(400, `Invalid value for 'response_format': must be one of ${RESPONSE_FORMATS.join(', ')}.`, 'response_format', 'invalid_value');
    }
    if (language !== null && (typeof language !== 'string' || !/^[a-z]{2,3}$/.test(language))) {
      throw new ApiError(400, `Invalid language '${String(language).slice(0, 20)}'. Language parameter must be specified in ISO-639-1 format.`, 'language', 'invalid_language_format');
    }
    if (language !== null && language !== 'en') throw new ApiError(400, `This server transcribes English only, not '${language}'.`, 'language', 'unsupported_language');
    if (file.size > MAX_FILE_BYTES) throw new ApiError(413, `Maximum content size limit (${MAX_FILE_BYTES}) exceeded (${file.size} bytes read)`, 'file', 'file_too_large');
    const audio = Buffer.from(await file.arrayBuffer());
    const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
    const isWav = audio.toString('ascii', 0, 4) === 'RIFF' && audio.toString('ascii', 8, 12) === 'WAVE';
    if (!AUDIO_EXTENSIONS.includes(extension) || (extension === 'wav' && !isWav)) {
      throw new ApiError(400, `Invalid file format. Supported formats: ${JSON.stringify(AUDIO_EXTENSIONS)}`, 'file', 'invalid_value');
    }
    const sphinx = this.#warm;
    this.#warm = startRecogniser();
    const utterances = await recognize(audio, sphinx);
    return render(utterances, format);
  }
}

/** The body, or a 413 once it passes `limit` (read to its end, so the client hears the answer). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => {
      if (size > limit) reject(new ApiError(413, `Maximum content size limit (${MAX_FILE_BYTES}) exceeded (${size} bytes read)`, 'file', 'file_too_large'));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A recogniser started ahead of its request, so the request does not wait for the model to load. */
function startRecogniser(): ChildProcessByStdio<Writable, Readable, null> {
  const sphinx = spawn(SPHINX_BIN, sphinxArgs(), { stdio: ['pipe', 'pipe', 'ignore'] });
  sphinx.stdin.on('error', () => {});
  return sphinx;
}

/** The finals PocketSphinx hears in a file of any format FFmpeg reads. */
function recognize(audio: Buffer, sphinx: ChildProcessByStdio<Writable, Readable, null>): Promise<SphinxLine[]> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let decoded = 0;
    ffmpeg.stdout.on('data', (d: Buffer) => (decoded += d.length));
    ffmpeg.stdout.pipe(sphinx.stdin);
    ffmpeg.stdin.on('error', () => {});
    ffmpeg.stdin.end(audio);
    const out: Buffer[] = [];
    sphinx.stdout.on('data', (d: Buffer) => out.push(d));
    sphinx.on('error', reject);
    sphinx.on('close', (code) => {
      if (decoded === 0) reject(new ApiError(400, 'Audio file might be corrupted or unsupported', 'file', 'invalid_value'));
      else if (code !== 0) reject(new Error(`recogniser exited with ${code}`));
      else resolve(Buffer.concat(out).toString().split('\n').map(parseSphinxLine).filter((l): l is SphinxLine => !!l?.final && l.text !== ''));
    });
  });
}

function render(utterances: SphinxLine[], format: string): { body: string; type: string } {
  const text = utterances.map((u) => u.text).join(' ');
  const seconds = (ms: number) => ms / 1000;
  const stamp = (ms: number, sep: string) => {
    const d = new Date(ms).toISOString();
    return `${d.slice(11, 19)}${sep}${d.slice(20, 23)}`;
  };
  switch (format) {
    case 'text':
      return { body: `${text}\n`, type: 'text/plain; charset=utf-8' };
    case 'verbose_json':
      return {
        type: 'application/json',
        body: JSON.stringify({
          task: 'transcribe',
          language: 'english',
          duration: seconds(utterances.at(-1)?.endMs ?? 0),
          text,
          segments: utterances.map((u, id) => ({ id, start: seconds(u.startMs), end: seconds(u.endMs), text: u.text })),
          words: utterances.flatMap((u) => (u.words ?? []).map((w) => ({ word: w.word, start: seconds(w.startMs), end: seconds(w.endMs) })))
        })
      };
    case 'srt':
      return { type: 'text/plain; charset=utf-8', body: utterances.map((u, i) => `${i + 1}\n${stamp(u.startMs, ',')} --> ${stamp(u.endMs, ',')}\n${u.text}\n`).join('\n') };
    case 'vtt':
      return { type: 'text/vtt; charset=utf-8', body: `WEBVTT\n\n${utterances.map((u) => `${stamp(u.startMs, '.')} --> ${stamp(u.endMs, '.')}\n${u.text}\n`).join('\n')}` };
    default:
      return { type: 'application/json', body: JSON.stringify({ text }) };
  }
}
