/**
 * One request to an OpenAI-compatible transcription endpoint (`POST {url}/v1/audio/transcriptions`),
 * as OpenAI, whisper.cpp's server and faster-whisper servers answer it. Errors say what went wrong
 * without the endpoint's address or key, so they can be logged.
 */
import { z } from 'zod';
import { endpointFetch } from '../../../http/endpoint-fetch.ts';

const WHAT = 'the transcription endpoint';

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
  const res = await endpointFetch(WHAT, `${endpoint.url}/v1/audio/transcriptions`, {
    method: 'POST',
    body: form,
    headers: endpoint.key ? { authorization: `Bearer ${endpoint.key}` } : {},
    timeoutMs
  });
  if (!res.ok) {
    const message = errorMessage(res.body);
    throw new Error(`${WHAT} answered ${res.status}${message ? `: ${message}` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = null;
  }
  const parsed = reply.safeParse(json);
  if (!parsed.success) throw new Error(`${WHAT} answered without a transcript`);
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
