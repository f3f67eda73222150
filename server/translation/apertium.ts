import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { logger } from '../log.ts';
import { ApertiumPipeline } from './apertium-pipeline.ts';
import { iso6391 } from './language-codes.ts';
import type { LanguagePair, Translator } from './translator.ts';
import { TranslatorUnavailable } from './translator.ts';

const run = promisify(execFile);
const log = logger('apertium');

export interface ApertiumOptions {
  /** Apertium's data directory (its `modes/` lists the installed pairs). */
  dataDir: string;
  timeoutMs?: number;
  startTimeoutMs?: number;
  maxQueued?: number;
  idleMs?: number;
}

/** A direction Apertium names ("eng-spa"); variants such as "spa-eng_US" are left out. */
const MODE = /^([a-z]{2,3})-([a-z]{2,3})$/;

/**
 * The embedded, offline provider: the Apertium pairs installed on this machine (Debian's
 * `apertium-eng-spa` gives English ↔ Spanish), each direction a supervised pipeline started on first use.
 */
export class ApertiumTranslator implements Translator {
  readonly name = 'apertium';
  readonly #pairs: LanguagePair[];
  readonly #pipelines: Map<string, ApertiumPipeline>;

  private constructor(pairs: LanguagePair[], pipelines: Map<string, ApertiumPipeline>) {
    this.#pairs = pairs;
    this.#pipelines = pipelines;
  }

  /** Reads the installed directions (`apertium -l`); none when Apertium is not installed. */
  static async discover(opts: ApertiumOptions): Promise<ApertiumTranslator> {
    const pairs: LanguagePair[] = [];
    const pipelines = new Map<string, ApertiumPipeline>();
    let modes: string[] = [];
    try {
      modes = (await run('apertium', ['-d', opts.dataDir, '-l'], { timeout: 10_000 })).stdout.split('\n').map((l) => l.trim());
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'Apertium is not installed or has no pairs: no offline translation');
    }
    for (const mode of modes) {
      const m = MODE.exec(mode);
      if (!m) continue;
      const pair = { from: iso6391(m[1]!), to: iso6391(m[2]!) };
      const key = `${pair.from}>${pair.to}`;
      if (pipelines.has(key)) continue;
      const command = await nullFlushPipeline(path.join(opts.dataDir, 'modes', `${mode}.mode`));
      if (!command) continue;
      pipelines.set(key, new ApertiumPipeline({ command, log: log.child({ pair: mode }), timeoutMs: opts.timeoutMs ?? 5000, startTimeoutMs: opts.startTimeoutMs ?? 30_000, maxQueued: opts.maxQueued ?? 500, idleMs: opts.idleMs ?? 10 * 60_000 }));
      pairs.push(pair);
    }
    log.info({ pairs: pairs.map((p) => `${p.from}-${p.to}`) }, 'offline translation pairs');
    return new ApertiumTranslator(pairs, pipelines);
  }

  pairs(): readonly LanguagePair[] {
    return this.#pairs;
  }

  translate(texts: string[], from: string, to: string): Promise<string[]> {
    const pipeline = this.#pipelines.get(`${from}>${to}`);
    if (!pipeline) return Promise.reject(new TranslatorUnavailable(`no apertium pair ${from}-${to}`));
    return pipeline.translate(texts);
  }

  close(): Promise<void> {
    for (const p of this.#pipelines.values()) p.close();
    return Promise.resolve();
  }
}

/** The mode file's pipeline with every stage in null-flush mode, as `apertium -z` would run it; null if unreadable. */
async function nullFlushPipeline(modeFile: string): Promise<string | null> {
  try {
    return (await run('apertium-wblank-mode', ['-z', modeFile], { timeout: 10_000 })).stdout;
  } catch (err) {
    log.warn({ err: (err as Error).message, modeFile }, 'an Apertium mode could not be read; its pair is left out');
    return null;
  }
}
