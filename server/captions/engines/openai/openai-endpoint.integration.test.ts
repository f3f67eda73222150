import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../../log.ts';
import { speakInto, synthesizeSpeech, type Speech } from '../../../testing/speech.ts';
import { freePort } from '../../../testing/free-port.ts';
import { TranscriptionServer } from '../../../testing/transcription-server.ts';
import { wordErrors } from '../../word-error-rate.ts';
import type { SpeechSegment } from '../speech-to-text.ts';
import { wavFromPcm } from '../wav.ts';
import { OpenAiEndpoint } from './openai-endpoint.ts';
import { transcribe } from './transcription-request.ts';

const KEY = 'sk-test-0123456789abcdef';
/** The local endpoint decodes on this machine's CPU, shared with everything else the tests run. */
const TIMEOUT_MS = 60_000;
const log = logger('captions-test');

// Each recognition on the local endpoint costs about a second of CPU; a shared machine stretches that.
describe('the OpenAI-compatible endpoint provider against a local endpoint', { timeout: 120_000 }, () => {
  let server: TranscriptionServer;
  let speech: Speech;
  beforeAll(async () => {
    server = await TranscriptionServer.start({ key: KEY });
    speech = synthesizeSpeech();
  });
  afterAll(() => server.close());

  async function caption(key: string) {
    const provider = new OpenAiEndpoint({ endpoint: { url: server.url, model: 'whisper-1', key, timeoutMs: TIMEOUT_MS }, log });
    const segments: SpeechSegment[] = [];
    const errors: Error[] = [];
    const stream = provider.open({ language: 'en', onSegment: (s) => segments.push(s), onError: (e) => errors.push(e) });
    await speakInto(stream, speech);
    await stream.close();
    return { segments, errors };
  }

  it('captions live speech in overlapping windows without doubled words, one request at a time', async () => {
    server.calls.length = 0;
    server.maxConcurrent = 0;
    const { segments, errors } = await caption(KEY);
    const heard = segments.filter((s) => s.final).map((s) => s.text).join(' ');
    const wer = wordErrors(speech.reference, heard);
    console.log(`endpoint WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.words}) over ${server.calls.length} requests: "${heard}"`);
    expect(errors).toEqual([]);
    expect(wer.rate).toBeLessThan(0.4);
    expect(server.maxConcurrent).toBe(1);
    expect(server.calls.every((c) => c.status === 200 && c.model === 'whisper-1' && c.language === 'en' && c.responseFormat === 'json')).toBe(true);
    // 3 s windows every 2 s over ~16 s of audio, silent ones not sent; a slow (busy) endpoint gets fewer, longer ones.
    expect(server.calls.length).toBeGreaterThanOrEqual(2);
    expect(server.calls.length).toBeLessThanOrEqual(Math.ceil(speech.durationMs / 2000) + 1);
    // Utterances are numbered in order; each shows interim text before its one final.
    const utterances = [...new Set(segments.map((s) => s.utterance))];
    expect(utterances).toEqual(utterances.map((_, i) => i));
    expect(segments.some((s) => !s.final)).toBe(true);
    for (const u of utterances) {
      const mine = segments.filter((s) => s.utterance === u);
      expect(mine.at(-1)!.final).toBe(true);
      expect(mine.filter((s) => s.final)).toHaveLength(1);
    }
    // Segments sit inside the audio written, in order.
    for (const s of segments) expect(s.startMs >= 0 && s.startMs < s.endMs && s.endMs <= speech.durationMs).toBe(true);
    const finalStarts = segments.filter((s) => s.final).map((s) => s.startMs);
    expect(finalStarts).toEqual([...finalStarts].sort((a, b) => a - b));
  });

  it('keeps one request in flight against a slow endpoint, and catches up with longer windows', async () => {
    server.calls.length = 0;
    server.maxConcurrent = 0;
    server.delayMs = 2500;
    try {
      const { segments, errors } = await caption(KEY);
      const heard = segments.filter((s) => s.final).map((s) => s.text).join(' ');
      const wer = wordErrors(speech.reference, heard);
      console.log(`slow endpoint WER ${(wer.rate * 100).toFixed(1)} % over ${server.calls.length} requests: "${heard}"`);
      expect(errors).toEqual([]);
      expect(server.maxConcurrent).toBe(1);
      expect(wer.rate).toBeLessThan(0.5);
      // Every request starts after the one before it answered.
      for (let i = 1; i < server.calls.length; i++) expect(server.calls[i]!.startedAt).toBeGreaterThanOrEqual(server.calls[i - 1]!.endedAt - 5);
    } finally {
      server.delayMs = 0;
    }
  });

  it('reports a refused key to onError, without the key or the address, and carries on', async () => {
    const { segments, errors } = await caption('sk-wrong');
    expect(segments).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.message).toBe('the transcription endpoint answered 401: Incorrect API key provided.');
      expect(e.message).not.toContain('127.0.0.1');
      expect(e.message).not.toContain('sk-');
    }
  });

  it('reports an endpoint that cannot be reached or does not answer in time', async () => {
    const wav = wavFromPcm(speech.pcm.subarray(0, 32_000 * 3));
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(transcribe({ url: closed, model: 'whisper-1' }, wav, 'en')).rejects.toThrow(/^the transcription endpoint could not be reached \(ECONNREFUSED\)$/);
    server.delayMs = 3000;
    try {
      await expect(transcribe({ url: server.url, model: 'whisper-1', key: KEY, timeoutMs: 500 }, wav, 'en')).rejects.toThrow('the transcription endpoint did not answer within 0.5 s');
    } finally {
      server.delayMs = 0;
    }
  });
});

describe('the local endpoint validates requests as the real API does', { timeout: 300_000 }, () => {
  let server: TranscriptionServer;
  let wav: Buffer;
  beforeAll(async () => {
    server = await TranscriptionServer.start({ key: KEY });
    const speech = synthesizeSpeech();
    const pitch = speech.sentences[1]!;
    wav = wavFromPcm(speech.pcm.subarray(pitch.offsetMs * 32, (pitch.offsetMs + pitch.durationMs) * 32));
  });
  afterAll(() => server.close());

  function form(fields: Record<string, string | Blob>, name = 'pitch.wav'): FormData {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) {
      if (v instanceof Blob) f.append(k, v, name);
      else f.append(k, v);
    }
    return f;
  }
  const audio = () => new Blob([new Uint8Array(wav)], { type: 'audio/wav' });
  async function post(body: FormData | string, o: { key?: string | null; type?: string } = {}) {
    const headers: Record<string, string> = {};
    if (o.key !== null) headers.authorization = `Bearer ${o.key ?? KEY}`;
    if (o.type) headers['content-type'] = o.type;
    const res = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', body, headers });
    const text = await res.text();
    return { status: res.status, text, json: (() => { try { return JSON.parse(text) as { error?: { message: string; type: string; param: string | null; code: string | null }; text?: string }; } catch { return null; } })() };
  }

  it('transcribes a WAV in every response format', async () => {
    const json = await post(form({ file: audio(), model: 'whisper-1', language: 'en' }));
    expect(json.status).toBe(200);
    const wer = wordErrors('This leather handbag is handmade in Italy and today it costs only forty nine dollars with free shipping', json.json!.text!);
    console.log(`local endpoint, one request: WER ${(wer.rate * 100).toFixed(1)} %: "${json.json!.text}"`);
    expect(wer.rate).toBeLessThan(0.4);
    const text = await post(form({ file: audio(), model: 'whisper-1', response_format: 'text' }));
    expect(text.text.trim()).toBe(json.json!.text);
    const verbose = await post(form({ file: audio(), model: 'whisper-1', response_format: 'verbose_json' }));
    expect(verbose.json).toMatchObject({ task: 'transcribe', text: json.json!.text, segments: [expect.objectContaining({ id: 0 })] });
    const srt = await post(form({ file: audio(), model: 'whisper-1', response_format: 'srt' }));
    expect(srt.text).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\n.*italy/);
    const vtt = await post(form({ file: audio(), model: 'whisper-1', response_format: 'vtt' }));
    expect(vtt.text).toMatch(/^WEBVTT\n\n00:00:0\d\.\d{3} --> /);
  });

  it('answers 401 without a key or with a wrong one', async () => {
    const missing = await post(form({ file: audio(), model: 'whisper-1' }), { key: null });
    expect(missing.status).toBe(401);
    expect(missing.json?.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining("didn't provide an API key") });
    const wrong = await post(form({ file: audio(), model: 'whisper-1' }), { key: 'sk-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json?.error).toEqual({ message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  });

  it('answers 400 in OpenAI\'s error shape to a request that is not a valid transcription request', async () => {
    const cases: [string, Awaited<ReturnType<typeof post>>, string | null][] = [
      ['a JSON body', await post(JSON.stringify({ file: 'x', model: 'whisper-1' }), { type: 'application/json' }), null],
      ['no file', await post(form({ model: 'whisper-1' })), 'file'],
      ['no model', await post(form({ file: audio() })), 'model'],
      ['an empty model', await post(form({ file: audio(), model: '' })), 'model'],
      ['a file field that is text', await post(form({ file: 'not a file', model: 'whisper-1' })), 'file'],
      ['an unknown response format', await post(form({ file: audio(), model: 'whisper-1', response_format: 'xml' })), 'response_format'],
      ['a language that is not a code', await post(form({ file: audio(), model: 'whisper-1', language: 'English' })), 'language'],
      ['a text file', await post(form({ file: new Blob(['hello'], { type: 'text/plain' }), model: 'whisper-1' }, 'notes.txt')), 'file'],
      ['a .wav that is not a WAV', await post(form({ file: new Blob(['RIFX not really'], { type: 'audio/wav' }), model: 'whisper-1' })), 'file'],
      ['undecodable audio', await post(form({ file: new Blob(['not an mp3 at all'], { type: 'audio/mpeg' }), model: 'whisper-1' }, 'a.mp3')), 'file']
    ];
    for (const [what, res, param] of cases) {
      expect(res.status, what).toBe(400);
      expect(res.json?.error, what).toMatchObject({ type: 'invalid_request_error', param, message: expect.any(String) });
    }
  });

  it('answers 413 to a file over 25 MB and 404 elsewhere', async () => {
    const big = await post(form({ file: new Blob([new Uint8Array(26 * 1024 * 1024)], { type: 'audio/wav' }), model: 'whisper-1' }));
    expect(big.status).toBe(413);
    expect(big.json?.error).toMatchObject({ param: 'file', code: 'file_too_large' });
    const res = await fetch(`${server.url}/v1/audio/translations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
  });
});
