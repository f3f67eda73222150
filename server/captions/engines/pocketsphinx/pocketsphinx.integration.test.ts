import { afterEach, describe, expect, it } from 'vitest';
import { logger } from '../../../log.ts';
import { childPids } from '../../../testing/child-processes.ts';
import { speakInto, synthesizeSpeech } from '../../../testing/speech.ts';
import { wordErrors } from '../../word-error-rate.ts';
import type { SpeechSegment, SpeechStream } from '../speech-to-text.ts';
import { PocketSphinx, pocketSphinxMissing } from './pocketsphinx.ts';

const CHUNK_MS = 100;

/** Final text per utterance, in order. */
const finals = (segments: SpeechSegment[]) => segments.filter((s) => s.final).map((s) => s.text);

describe('the PocketSphinx provider', () => {
  const provider = new PocketSphinx({ log: logger('captions-test') });
  let stream: SpeechStream | null = null;
  afterEach(async () => {
    await stream?.close();
    stream = null;
  });

  it('is installed', () => {
    expect(pocketSphinxMissing()).toBeNull();
    expect(provider.languages()).toEqual(['en']);
    expect(() => provider.open({ language: 'ko', onSegment: () => {} })).toThrow(/English only/);
  });

  it('captions live English speech with interim text before each final, timed within the audio', async () => {
    const speech = synthesizeSpeech();
    const segments: SpeechSegment[] = [];
    const errors: Error[] = [];
    stream = provider.open({ language: 'en', onSegment: (s) => segments.push(s), onError: (e) => errors.push(e) });
    await speakInto(stream, speech);
    await stream.close();

    const heard = finals(segments).join(' ');
    const wer = wordErrors(speech.reference, heard);
    console.log(`PocketSphinx WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.words}): "${heard}"`);
    expect(wer.rate).toBeLessThan(0.4);
    expect(errors).toEqual([]);

    // Every utterance shows interim text first and ends with exactly one final, in order.
    const utterances = [...new Set(segments.map((s) => s.utterance))];
    expect(utterances).toEqual(utterances.map((_, i) => i));
    expect(utterances.length).toBeGreaterThanOrEqual(speech.sentences.length);
    for (const u of utterances) {
      const mine = segments.filter((s) => s.utterance === u);
      expect(mine.at(-1)!.final, `utterance ${u}`).toBe(true);
      expect(mine.filter((s) => s.final)).toHaveLength(1);
    }
    const pitch = speech.sentences[1]!;
    const pitchUtterance = segments.find((s) => s.final && s.text && s.startMs < pitch.offsetMs + pitch.durationMs && s.endMs > pitch.offsetMs)!.utterance;
    expect(segments.filter((s) => s.utterance === pitchUtterance && !s.final).length).toBeGreaterThan(3);
    // The pitch's final lies where the pitch was spoken (give or take the detector's padding).
    const final = segments.find((s) => s.utterance === pitchUtterance && s.final)!;
    expect(final.startMs).toBeGreaterThan(pitch.offsetMs - 500);
    expect(final.endMs).toBeLessThan(pitch.offsetMs + pitch.durationMs + 500);
  });

  it('restarts a recogniser that dies mid-stream and keeps captioning on the same clock', async () => {
    const speech = synthesizeSpeech();
    const segments: SpeechSegment[] = [];
    const errors: Error[] = [];
    stream = provider.open({ language: 'en', onSegment: (s) => segments.push(s), onError: (e) => errors.push(e) });
    const pitch = speech.sentences[1]!;
    const killAt = Math.round((pitch.offsetMs + pitch.durationMs / 2) / CHUNK_MS) * CHUNK_MS;
    let killed: number[] = [];
    await speakInto(stream, speech, {
      chunkMs: CHUNK_MS,
      at: {
        ms: killAt,
        run: () => {
          killed = childPids(process.pid, 'sphinx-stream');
          for (const pid of killed) process.kill(pid, 'SIGKILL');
        }
      }
    });
    await stream.close();

    expect(killed).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/exited \(SIGKILL\); restarting/)]);
    // The utterance cut short still ended with a final; the next sentence came from a new process.
    const beforeKill = segments.filter((s) => s.startMs < killAt);
    expect(beforeKill.at(-1)?.final).toBe(true);
    // What was said once the new process was up (250 ms backoff plus loading the model) is captioned.
    const resumedAt = killAt + 1000;
    const said = speech.sentences.flatMap((x) => x.words).filter((w) => w.startMs >= resumedAt);
    const after = segments.filter((s) => s.final && s.startMs >= killAt);
    const wer = wordErrors(said.map((w) => w.word).join(' '), after.map((s) => s.text).join(' '));
    console.log(`after the restart: WER ${(wer.rate * 100).toFixed(1)} % (${wer.errors}/${wer.words}): "${after.map((s) => s.text).join(' ')}"`);
    expect(wer.rate).toBeLessThan(0.4);
    expect(after[0]!.utterance).toBeGreaterThan(beforeKill.at(-1)!.utterance);
    // Times continue on the stream's clock, not the new process's.
    const last = speech.sentences[2]!;
    const lastFinal = after.at(-1)!;
    expect(lastFinal.startMs).toBeGreaterThan(last.offsetMs - 500);
    expect(lastFinal.endMs).toBeLessThan(last.offsetMs + last.durationMs + 500);
    expect(childPids(process.pid, 'sphinx-stream')).toEqual([]);
  });

  it('drops audio while the recogniser is behind, and keeps its times on the stream\'s clock', async () => {
    const speech = synthesizeSpeech();
    const segments: SpeechSegment[] = [];
    const errors: Error[] = [];
    stream = provider.open({ language: 'en', onSegment: (s) => segments.push(s), onError: (e) => errors.push(e) });
    // Ten times faster than spoken: more than the recogniser decodes, so it falls behind and audio is dropped.
    for (let off = 0; off < speech.pcm.length; off += 3200) {
      stream.write(speech.pcm.subarray(off, off + 3200));
      await new Promise((r) => setTimeout(r, 10));
    }
    await stream.close();
    const finals = segments.filter((s) => s.final && s.text);
    console.log(`fed 10x: ${finals.length} finals: ${finals.map((f) => `[${f.startMs}-${f.endMs}] ${f.text}`).join(' | ')}`);
    expect(errors).toEqual([]);
    expect(finals.length).toBeGreaterThan(0);
    expect(wordErrors(speech.reference, finals.map((f) => f.text).join(' ')).rate).toBeGreaterThan(0.2); // audio was lost
    // Whatever was heard is placed where it was said.
    for (const f of finals) {
      const sentence = speech.sentences.find((x) => f.startMs < x.offsetMs + x.durationMs + 500 && f.endMs > x.offsetMs - 500);
      expect(sentence, `${f.startMs}-${f.endMs} "${f.text}"`).toBeDefined();
      expect(f.startMs).toBeGreaterThan(sentence!.offsetMs - 1000);
      expect(f.endMs).toBeLessThan(sentence!.offsetMs + sentence!.durationMs + 1000);
      expect(f.text.split(' ').filter((w) => sentence!.text.toLowerCase().split(' ').includes(w)).length).toBeGreaterThan(0);
    }
  });
});
