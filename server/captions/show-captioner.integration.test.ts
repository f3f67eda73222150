import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../log.ts';
import { Room } from '../rooms/room.ts';
import { WorkerPool } from '../sfu/worker-pool.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { synthesizeSpeech } from '../testing/speech.ts';
import { SpeechSource } from '../testing/speech-source.ts';
import { testConfig } from '../testing/test-config.ts';
import type { CaptionCue } from '#shared/captions.ts';
import { PCM_BYTES_PER_MS, type SpeechStreamOptions, type SpeechToText } from './engines/speech-to-text.ts';
import { ShowCaptioner } from './show-captioner.ts';

/**
 * The audio path alone, with real mediasoup and FFmpeg: what reaches a speech engine, and when. The
 * engine here only records the PCM it is given (recognition has tests of its own), so the timing is
 * checked exactly: audio on the wall clock across a killed FFmpeg and a new producer.
 */
requireFfmpeg();
const speech = synthesizeSpeech();

/** An engine that keeps what it is written and lets the test say what was recognised. */
class RecordingEngine implements SpeechToText {
  readonly name = 'pocketsphinx';
  readonly streams: { options: SpeechStreamOptions; bytes: number; pcm: Buffer[]; closed: boolean }[] = [];
  languages(): readonly string[] {
    return ['en'];
  }
  open(options: SpeechStreamOptions) {
    const stream = { options, bytes: 0, pcm: [] as Buffer[], closed: false };
    this.streams.push(stream);
    return {
      write: (pcm: Buffer) => {
        stream.bytes += pcm.length;
        stream.pcm.push(pcm);
      },
      close: async () => {
        stream.closed = true;
      }
    };
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Mean absolute sample value of a stretch of PCM: near zero in silence. */
function loudness(pcm: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += Math.abs(pcm.readInt16LE(i));
  return sum / Math.max(1, pcm.length / 2);
}

describe('a show’s captioner', () => {
  let pool: WorkerPool;
  let room: Room;
  const sources: SpeechSource[] = [];
  beforeAll(async () => {
    pool = await WorkerPool.create(1);
    room = await Room.create({ showId: 'captioner-it', worker: pool.workers[0]!, rtc: testConfig().mediasoup });
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.stop()));
    room?.close('ended');
    pool?.close();
  });

  it('feeds the engine 16 kHz PCM on the wall clock, through a killed FFmpeg and a new producer, and times cues by it', async () => {
    const engine = new RecordingEngine();
    const cues: CaptionCue[] = [];
    const captioner = new ShowCaptioner({
      showId: 'captioner-it',
      language: 'en',
      engine,
      sink: { interim: (c) => cues.push(c), final: async (c) => void cues.push(c) },
      ffmpegPath: 'ffmpeg',
      log: logger('captioner-it')
    });
    // The tap listens before the host speaks, so no word is lost to FFmpeg's start-up.
    const first = await SpeechSource.attach(room, speech.wavPath, { paused: true });
    sources.push(first);
    await captioner.setSource(room.router, first.producer);
    expect(engine.streams).toHaveLength(1);
    const stream = engine.streams[0]!;
    await until('the tap’s FFmpeg', () => captioner.tap?.pid !== undefined);
    await new Promise((r) => setTimeout(r, 1000));
    first.play();
    const audioStart = await first.firstPacketAt;
    await until('PCM', () => stream.bytes > 0);

    // The speech arrives as what was sent: loud where flite spoke, quiet in the pauses, at 16 kHz.
    await first.ended;
    await new Promise((r) => setTimeout(r, 300));
    const pcm = Buffer.concat(stream.pcm);
    const sentence = speech.sentences[1]!;
    const at = (ms: number) => Math.round(ms * PCM_BYTES_PER_MS) & ~1;
    const spoken = loudness(pcm.subarray(at(sentence.offsetMs + 200), at(sentence.offsetMs + sentence.durationMs - 200)));
    const pause = loudness(pcm.subarray(at(sentence.offsetMs - 900), at(sentence.offsetMs - 200)));
    console.log(`PCM: ${(pcm.length / PCM_BYTES_PER_MS / 1000).toFixed(2)} s for ${(speech.durationMs / 1000).toFixed(2)} s of speech · loudness speaking ${spoken.toFixed(0)}, pausing ${pause.toFixed(0)}`);
    // A chunk the loaded event loop hands over past GAP_TOLERANCE_MS late counts as a pause: a little silence may be added.
    expect(Math.abs(pcm.length / PCM_BYTES_PER_MS - speech.durationMs)).toBeLessThan(900);
    expect(spoken).toBeGreaterThan(20 * Math.max(pause, 1));

    // A segment 2 s into the PCM happened 2 s after the audio began, on the wall clock.
    stream.options.onSegment({ utterance: 0, text: 'welcome', final: false, startMs: 2000, endMs: 2400 });
    stream.options.onSegment({ utterance: 0, text: 'welcome to the show', final: true, startMs: 2000, endMs: 3100 });
    expect(cues.map((c) => [c.final, c.text])).toEqual([[false, 'welcome'], [true, 'welcome to the show']]);
    expect(cues[0]!.id).toBe(cues[1]!.id);
    expect(Math.abs(cues[1]!.startAt - (audioStart + 2000))).toBeLessThan(400);
    expect(cues[1]!.endAt - cues[1]!.startAt).toBe(1100);

    // The host comes back on a new producer, and FFmpeg is killed a second in: the stream goes on, its
    // silence standing for the time no audio came, so offsets still land on the wall clock.
    const second = await SpeechSource.attach(room, speech.wavPath);
    sources.push(second);
    await captioner.setSource(room.router, second.producer);
    const tap = captioner.tap!;
    expect(tap.producer).toBe(second.producer);
    await until('FFmpeg', () => tap.pid !== undefined);
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(tap.pid!, 'SIGKILL');
    await until('a restarted FFmpeg', () => tap.restarts >= 1);
    const before = stream.bytes;
    await until('PCM from the new FFmpeg', () => stream.bytes > before + at(1000));
    const wallMs = Date.now() - audioStart;
    const streamMs = stream.bytes / PCM_BYTES_PER_MS;
    console.log(`after a new producer and a killed FFmpeg (restarts ${tap.restarts}): ${streamMs.toFixed(0)} ms of PCM for ${wallMs} ms on the wall`);
    expect(engine.streams).toHaveLength(1);
    expect(Math.abs(wallMs - streamMs)).toBeLessThan(800);
    stream.options.onSegment({ utterance: 1, text: 'now', final: true, startMs: streamMs - 500, endMs: streamMs - 100 });
    expect(Math.abs(cues.at(-1)!.startAt - (Date.now() - 500))).toBeLessThan(900);
    expect(cues.at(-1)!.id).not.toBe(cues[0]!.id);

    await captioner.close();
    expect(stream.closed).toBe(true);
    expect(tap.closed).toBe(true);
  }, 90_000);
});
