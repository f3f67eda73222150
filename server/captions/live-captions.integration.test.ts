import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import { synthesizeSpeech } from '../testing/speech.ts';
import { SpeechSource } from '../testing/speech-source.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import type { CaptionCue, CaptionSettingsDto, TranscriptDto } from '#shared/captions.ts';
import { wordErrorRate } from './word-error-rate.ts';

/**
 * Real speech through the whole path: flite's voice as Opus RTP into a show's room, the captions'
 * FFmpeg tap, PocketSphinx, the Captions domain and the room bus to a buyer's ws; the transcript over HTTP.
 */
requireFfmpeg();
const speech = synthesizeSpeech();

interface Heard {
  cue: CaptionCue;
  at: number;
}

/** The buyer's view of the captions: every cue with when it arrived. */
function listen(client: TestWsClient): Heard[] {
  const heard: Heard[] = [];
  client.socket.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as { notification?: string; data?: { cue: CaptionCue } };
    if (msg.notification === 'captions') heard.push({ cue: msg.data!.cue, at: Date.now() });
  });
  return heard;
}

/** The newest text of each utterance that ended, in spoken order. */
function finals(heard: readonly Heard[], since = 0): Heard[] {
  const byId = new Map<string, Heard>();
  for (const h of heard) if (h.cue.final && h.at >= since) byId.set(h.cue.id, h);
  return [...byId.values()].sort((a, b) => a.cue.startAt - b.cue.startAt);
}

async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Plays the script into the show and waits for its last words to be captioned. */
async function speak(source: SpeechSource, heard: Heard[]): Promise<Heard[]> {
  await source.ended;
  // PocketSphinx ends the last utterance after its trailing silence; give a loaded machine time.
  const lastWord = speech.sentences.at(-1)!.words.at(-1)!.word;
  await until(`"${lastWord}" in a final cue`, () => finals(heard, source.startedAt).some((h) => h.cue.text.includes(lastWord)), 20_000).catch(() => {});
  return finals(heard, source.startedAt);
}

describe('live captions from a show’s audio', () => {
  let app: RunningApp;
  let host: Actor;
  let buyer: Actor;
  let admin: Actor;
  let showId: string;
  let viewer: TestWsClient;
  let heard: Heard[];
  const sources: SpeechSource[] = [];
  /** A host's microphone in the show, playing the script (`loops` more times). */
  const microphone = async (id: string, loops = 0) => {
    const source = await SpeechSource.attach(await app.rooms.get(id), speech.wavPath, { loops });
    sources.push(source);
    return source;
  };
  const api = (path: string, init: RequestInit & { cookie?: string } = {}) =>
    fetch(`${app.url}/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) } });
  const putCaptions = (id: string, body: unknown, cookie?: string) => api(`/shows/${id}/captions`, { method: 'PUT', body: JSON.stringify(body), cookie });
  const liveShow = async (title: string) => {
    const id = (await app.shows.create(host.user, { title, description: '', scheduledAt: Date.now() })).id;
    await app.shows.goLive(host.user, id);
    return id;
  };

  beforeAll(async () => {
    app = await startApp(testConfig({ CAPTIONS_PROVIDER: 'pocketsphinx', CAPTIONS_MAX_STREAMS: '1' }), { webHandler: false });
    host = await actorWithRole(app, 'host@captions.test', 'host');
    buyer = await actorWithRole(app, 'buyer@captions.test', 'buyer');
    admin = await actorWithRole(app, 'admin@captions.test', 'admin');
    showId = await liveShow('Handbags');
    viewer = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: buyer.cookie });
    await viewer.request('join', { showId, role: 'viewer' });
    heard = listen(viewer);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.stop()));
    viewer?.close();
    await app?.close();
  });

  it('lets the host or an admin set captions, and refuses buyers, the signed-out and languages the engine lacks', async () => {
    const before = (await (await api(`/shows/${showId}/captions`)).json()) as CaptionSettingsDto;
    expect(before).toEqual({ enabled: false, language: 'en', provider: 'pocketsphinx', languages: ['en'] });
    expect((await putCaptions(showId, { enabled: true }, buyer.cookie)).status).toBe(403);
    expect((await putCaptions(showId, { enabled: true })).status).toBe(401);
    const korean = await putCaptions(showId, { enabled: true, language: 'ko' }, host.cookie);
    expect(korean.status).toBe(400);
    const body = (await korean.json()) as { error: { code: string; message: string; params: { reason: string } } };
    expect(body.error).toMatchObject({ code: 'bad_request', params: { reason: 'caption_language' } });
    expect(body.error.message).toMatch(/Korean, Chinese.*endpoint provider/);
    expect((await putCaptions(showId, { language: 'english please' }, host.cookie)).status).toBe(400);
    expect((await putCaptions(showId, {}, host.cookie)).status).toBe(400);
    expect((await putCaptions(showId, { enabled: false }, admin.cookie)).status).toBe(200);
    const on = await putCaptions(showId, { enabled: true, language: 'en' }, host.cookie);
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ enabled: true, language: 'en' });
  });

  it('captions the host’s speech to a buyer over ws, close to the words, stores the finals and finds them', async () => {
    const source = await microphone(showId);
    const said = await speak(source, heard);
    const hypothesis = said.map((h) => h.cue.text).join(' ');
    const wer = wordErrorRate(speech.reference, hypothesis);
    const firstSpoken = (await source.firstPacketAt) + speech.sentences[0]!.offsetMs;
    // Delay: from the end of each utterance (the cue's endAt, on the server's clock) to the buyer holding its final text.
    const delays = said.map((h) => h.at - h.cue.endAt).sort((a, b) => a - b);
    console.log(
      `captions over ws: WER ${(wer * 100).toFixed(1)} % · ${said.length} finals, ${heard.filter((h) => !h.cue.final).length} interim` +
        ` · final delay after utterance p50 ${delays[Math.floor(delays.length / 2)]} ms, max ${delays.at(-1)} ms` +
        ` · first cue starts ${said[0] ? said[0].cue.startAt - firstSpoken : '-'} ms from its first word's arrival\n  heard: ${hypothesis}\n  said:  ${speech.reference}`
    );
    expect(wer).toBeLessThan(0.4);
    expect(heard.some((h) => !h.cue.final)).toBe(true);
    for (const h of said) expect(h.cue).toMatchObject({ showId, language: 'en' });
    // The cues sit on the wall clock where the words arrived (the engine's word boundaries and a busy machine allowed for).
    expect(Math.abs(said[0]!.cue.startAt - firstSpoken)).toBeLessThan(1500);
    expect(said.at(-1)!.cue.endAt).toBeLessThanOrEqual(Date.now());

    // Every final is in the transcript, which anyone may search (any case).
    const all = (await (await api(`/shows/${showId}/transcript`)).json()) as TranscriptDto;
    expect(all.cues.map((c) => c.id)).toEqual(said.map((h) => h.cue.id));
    const word = ['handbag', 'leather', 'jacket', 'welcome'].find((w) => hypothesis.includes(w))!;
    const found = (await (await api(`/shows/${showId}/transcript?q=${word.toUpperCase()}`)).json()) as TranscriptDto;
    expect(found.cues.length).toBeGreaterThan(0);
    for (const c of found.cues) expect(c.text.toLowerCase()).toContain(word);
    expect(found.cues[0]!.offsetMs).toBeGreaterThan(0);
    expect((await api(`/shows/${showId}/transcript?q=${'x'.repeat(101)}`)).status).toBe(400);
  }, 90_000);

  it('keeps captioning through a host who reconnects (a new producer) and a killed FFmpeg, on the same clock', async () => {
    // The host left (their microphone stopped): the show's speech stream outlives it.
    await Promise.all(sources.map((s) => s.stop()));
    const captioner = app.captionService!.captioner(showId);
    expect(captioner, 'the speech stream outlives the host leaving').toBeDefined();
    await until('the tap closed with the producer', () => captioner!.tap === null);
    const source = await microphone(showId);
    await until('a tap on the new producer', () => captioner!.tap?.producer === source.producer);
    expect(app.captionService!.captioner(showId)).toBe(captioner);
    const tap = captioner!.tap!;
    await until('the tap’s FFmpeg', () => tap.pid !== undefined);
    // FFmpeg dies a second in: the supervisor starts another, and the words after it are still captioned.
    await new Promise((r) => setTimeout(r, 1000));
    const killedAt = Date.now();
    process.kill(tap.pid!, 'SIGKILL');
    await until('a restarted FFmpeg', () => tap.restarts >= 1, 15_000);
    const after = (await speak(source, heard)).filter((h) => h.at >= killedAt);
    const tail = speech.sentences.slice(1).map((s) => s.text).join(' ');
    const wer = wordErrorRate(tail, after.map((h) => h.cue.text).join(' '));
    console.log(`after a killed FFmpeg (restarts ${tap.restarts}): WER ${(wer * 100).toFixed(1)} % on the sentences after it · ${after.map((h) => h.cue.text).join(' | ')}`);
    expect(after.length).toBeGreaterThan(0);
    expect(wer).toBeLessThan(0.6);
    // The pause while FFmpeg restarted was filled with silence: the last sentence still starts where it arrived.
    const last = speech.sentences.at(-1)!;
    const lastArrived = (await source.firstPacketAt) + last.offsetMs;
    console.log(`last sentence's cue starts ${after.at(-1)!.cue.startAt - lastArrived} ms from its arrival`);
    expect(Math.abs(after.at(-1)!.cue.startAt - lastArrived)).toBeLessThan(1500);
  }, 90_000);

  it('captions at most CAPTIONS_MAX_STREAMS shows at once; another waits without captions until a slot frees', async () => {
    await microphone(showId, 5);
    await until('the first show captioned', () => app.captionService!.captioner(showId)?.tap != null);
    const second = await liveShow('Jackets');
    expect((await putCaptions(second, { enabled: true }, host.cookie)).status).toBe(200);
    const refusedBefore = app.captionService!.refused;
    await microphone(second, 5);
    await until('the second show refused a slot', () => app.captionService!.refused > refusedBefore, 10_000);
    expect(app.captionService!.captioner(second)).toBeUndefined();
    expect(app.captionService!.running).toBe(1);
    // The first show ends: its room closes, its captioner stops and the waiting show gets the slot.
    await app.shows.end(host.user, showId);
    await until('the waiting show captioned', () => app.captionService!.captioner(second) !== undefined, 15_000);
    expect(app.captionService!.captioner(showId)).toBeUndefined();
    // Turning captions off stops them at once.
    expect((await putCaptions(second, { enabled: false }, host.cookie)).status).toBe(200);
    await until('captions stopped', () => app.captionService!.running === 0, 10_000);
    // An ended show's transcript is still there for its replay.
    expect(((await (await api(`/shows/${showId}/transcript`)).json()) as TranscriptDto).cues.length).toBeGreaterThan(0);
  }, 90_000);
});
