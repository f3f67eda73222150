/**
 * Known English speech for the captions tests and bench: sentences spoken by flite (its rms and awb
 * voices are clear enough for PocketSphinx), resampled to 16 kHz mono, laid end to end with silence
 * between them, with the time each word of the reference ends. Word times come from PocketSphinx
 * forced to the reference text (a grammar of exactly that sentence). Built once per script and kept
 * in the temp directory.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSphinxLine } from '../captions/engines/pocketsphinx/sphinx-lines.ts';
import { SPHINX_BIN, SPHINX_MODEL_DIR, pocketSphinxMissing } from '../captions/engines/pocketsphinx/pocketsphinx.ts';
import { PCM_BYTES_PER_MS, type SpeechStream } from '../captions/engines/speech-to-text.ts';
import { wavFromPcm, WAV_HEADER_BYTES } from '../captions/engines/wav.ts';
import { normalizedWords } from '../captions/word-error-rate.ts';

export type FliteVoice = 'rms' | 'awb';

export interface ScriptLine {
  text: string;
  voice: FliteVoice;
}

export interface SpokenWord {
  word: string;
  /** Offsets in the whole recording. */
  startMs: number;
  endMs: number;
}

export interface SpokenSentence extends ScriptLine {
  offsetMs: number;
  durationMs: number;
  words: SpokenWord[];
}

export interface Speech {
  /** 16 kHz mono 16-bit WAV of the whole script. */
  wavPath: string;
  /** The same audio as raw s16le PCM. */
  pcm: Buffer;
  durationMs: number;
  sentences: SpokenSentence[];
  /** Every sentence's text, in order: what a perfect transcript says. */
  reference: string;
}

export const PRODUCT_PITCH = 'This leather handbag is handmade in Italy and today it costs only forty nine dollars with free shipping';

/** A host's opening: a greeting, the pitch, and a line in the other voice. */
export const SHOW_SCRIPT: readonly ScriptLine[] = [
  { text: 'Welcome to the show everyone', voice: 'rms' },
  { text: PRODUCT_PITCH, voice: 'rms' },
  { text: 'The blue jacket comes in small medium and large', voice: 'awb' }
];

export interface SpeechLayout {
  /** Silence before the first sentence, between sentences and after the last. */
  leadMs?: number;
  gapMs?: number;
  tailMs?: number;
}

const CACHE_VERSION = 1;
/** Silence around a sentence while aligning it, so the detector hears its start and end. */
const ALIGN_PAD_MS = 300;

export function synthesizeSpeech(script: readonly ScriptLine[] = SHOW_SCRIPT, layout: SpeechLayout = {}): Speech {
  const { leadMs = 500, gapMs = 1200, tailMs = 1500 } = layout;
  const key = createHash('sha256').update(JSON.stringify({ CACHE_VERSION, script, leadMs, gapMs, tailMs })).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'hawker-speech');
  const wavPath = path.join(dir, `${key}.wav`);
  const metaPath = path.join(dir, `${key}.json`);
  if (fs.existsSync(wavPath) && fs.existsSync(metaPath)) {
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Omit<Speech, 'pcm' | 'wavPath'>;
    return { ...meta, wavPath, pcm: fs.readFileSync(wavPath).subarray(WAV_HEADER_BYTES) };
  }

  const parts: Buffer[] = [silence(leadMs)];
  const sentences: SpokenSentence[] = [];
  let offsetMs = leadMs;
  script.forEach((line, i) => {
    const pcm = flitePcm(line);
    const durationMs = Math.round(pcm.length / PCM_BYTES_PER_MS);
    const words = alignWords(pcm, line.text).map((w) => ({ ...w, startMs: w.startMs + offsetMs, endMs: w.endMs + offsetMs }));
    sentences.push({ ...line, offsetMs, durationMs, words });
    const after = i === script.length - 1 ? tailMs : gapMs;
    parts.push(pcm, silence(after));
    offsetMs += durationMs + after;
  });
  const pcm = Buffer.concat(parts);
  const speech = { durationMs: Math.round(pcm.length / PCM_BYTES_PER_MS), sentences, reference: script.map((l) => l.text).join(' ') };

  // Written under temporary names and renamed: parallel test files may build the same script.
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${wavPath}.${process.pid}`;
  fs.writeFileSync(tmp, wavFromPcm(pcm));
  fs.renameSync(tmp, wavPath);
  fs.writeFileSync(`${metaPath}.${process.pid}`, JSON.stringify(speech));
  fs.renameSync(`${metaPath}.${process.pid}`, metaPath);
  return { ...speech, wavPath, pcm };
}

/**
 * Writes the speech into a stream in `chunkMs` pieces at the pace it was spoken, as a live show's
 * audio arrives; `at` runs just before the piece that starts at `at.ms`.
 */
export async function speakInto(stream: Pick<SpeechStream, 'write'>, speech: Speech, o: { chunkMs?: number; at?: { ms: number; run: () => void } } = {}): Promise<void> {
  const chunkMs = o.chunkMs ?? 100;
  const chunk = chunkMs * PCM_BYTES_PER_MS;
  const start = Date.now();
  for (let off = 0; off < speech.pcm.length; off += chunk) {
    const ms = off / PCM_BYTES_PER_MS;
    if (o.at && ms === o.at.ms) o.at.run();
    stream.write(speech.pcm.subarray(off, off + chunk));
    await new Promise((r) => setTimeout(r, Math.max(0, start + ms + chunkMs - Date.now())));
  }
}

function silence(ms: number): Buffer {
  return Buffer.alloc(Math.round(ms * PCM_BYTES_PER_MS));
}

function run(bin: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync(bin, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${bin} could not run (${r.error.message}); the captions tests need flite, ffmpeg and PocketSphinx`);
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr.toString().slice(-500)}`);
  return r.stdout;
}

/** One sentence as 16 kHz mono s16le. */
function flitePcm(line: ScriptLine): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flite-'));
  try {
    const wav = path.join(dir, 'line.wav');
    run('flite', ['-voice', line.voice, '-t', line.text, '-o', wav]);
    return run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wav, '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where each word of `text` is in `pcm`: PocketSphinx decoding with a grammar of exactly that sentence. */
function alignWords(pcm: Buffer, text: string): SpokenWord[] {
  const missing = pocketSphinxMissing();
  if (missing) throw new Error(`cannot time the test speech: ${missing}`);
  const words = normalizedWords(text);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'align-'));
  try {
    const grammar = path.join(dir, 'sentence.gram');
    fs.writeFileSync(grammar, `#JSGF V1.0;\ngrammar sentence;\npublic <s> = ${words.join(' ')};\n`);
    const out = run(
      SPHINX_BIN,
      [
        ...['-hmm', path.join(SPHINX_MODEL_DIR, 'en-us'), '-dict', path.join(SPHINX_MODEL_DIR, 'cmudict-en-us.dict'), '-jsgf', grammar],
        // One utterance for the whole sentence: only a second of silence ends it.
        ...['-vad_postspeech', '100', '-logfn', '/dev/null']
      ],
      Buffer.concat([silence(ALIGN_PAD_MS), pcm, silence(ALIGN_PAD_MS + 1500)])
    );
    const finals = out.toString().split('\n').map(parseSphinxLine).filter((l) => l?.final);
    const aligned = finals.flatMap((l) => l!.words ?? []);
    if (aligned.map((w) => w.word).join(' ') !== words.join(' ')) {
      throw new Error(`could not align "${text}" (got "${aligned.map((w) => w.word).join(' ')}"): use words from PocketSphinx's dictionary`);
    }
    const clamp = (ms: number) => Math.min(Math.max(ms - ALIGN_PAD_MS, 0), pcm.length / PCM_BYTES_PER_MS);
    return aligned.map((w) => ({ word: w.word, startMs: clamp(w.startMs), endMs: clamp(w.endMs) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
