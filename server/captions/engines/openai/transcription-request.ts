/**
 * One request to an OpenAI-compatible transcription endpoint (`POST {url}/v1/audio/transcriptions`),
 * as OpenAI, whisper.cpp's server and faster-whisper servers answer it. Errors say what went wrong
 * without the endpoint's address or key, so they can be logged.
 */
import { z } from 'zod';

export interface TranscriptionEndpoint {
  /** Base URL, without a trailing slash. */
  url: string;
  model: string;
  key?: string;
  /** Longest wait for one answer; 10 s unless set. */
  timeoutMs?: number;
}

const reply = z.object({ text: z.string() });
const errorReply = z.object({ error: z.object({ message: z.string() }) });

export async function transcribe(endpoint: TranscriptionEndpoint, wav: Buffer, language: string): Promise<string> {
  const timeoutMs = endpoint.timeoutMs ?? 10_000;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'audio.wav');
  form.append('model', endpoint.model);
  form.append('language', language);
  form.append('response_format', 'json');
  let res: Response;
  try {
    res = await fetch(`${endpoint.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: endpoint.key ? { authorization: `Bearer ${endpoint.key}` } : {},
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs)
    });
  } catch (err) {
    throw new Error(requestFailure(err, timeoutMs));
  }
  const body = await res.text().catch(() => '');
  if (!res.ok) {
    const message = errorMessage(body);
    throw new Error(`the transcription endpoint answered ${res.status}${message ? `: ${message}` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  const parsed = reply.safeParse(json);
  if (!parsed.success) throw new Error('the transcription endpoint answered without a transcript');
  return parsed.data.text.trim();
}

/** The endpoint's own explanation, short, if it gave one in OpenAI's error shape. */
function errorMessage(body: string): string {
  try {
    const parsed = errorReply.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error.message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/** Why fetch threw, by kind only: its own messages and causes name the address. */
function requestFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `the transcription endpoint did not answer within ${timeoutMs / 1000} s`;
  const code = typeof e.cause?.code === 'string' && /^[A-Z_]+$/.test(e.cause.code) ? ` (${e.cause.code})` : '';
  return `the transcription endpoint could not be reached${code}`;
}
