import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../log.ts';
import { ApertiumPipeline } from './apertium-pipeline.ts';
import { ApertiumTranslator } from './apertium.ts';
import { TranslatorUnavailable } from './translator.ts';

describe('Apertium, the installed pairs', () => {
  let apertium: ApertiumTranslator;
  beforeAll(async () => {
    apertium = await ApertiumTranslator.discover({ dataDir: '/usr/share/apertium' });
  });
  afterAll(() => apertium.close());

  it('offers exactly the directions installed, in ISO 639-1 codes', () => {
    expect(apertium.pairs()).toEqual([
      { from: 'en', to: 'es' },
      { from: 'es', to: 'en' }
    ]);
  });

  it('translates a batch in order, in one pipeline', async () => {
    const out = await apertium.translate(['Hello world.', 'I like red cars', 'Three dogs'], 'en', 'es');
    expect(out).toEqual(['Hola Mundo.', 'Me gustan los coches rojos', 'Tres perros']);
    expect(await apertium.translate(['Hola Mundo'], 'es', 'en')).toEqual(['Hello World']);
  });

  it('leaves unknown words unmarked and keeps the buyer’s own asterisks and brackets', async () => {
    const [out] = await apertium.translate(['The Hawkerbag is *so* good [really] xyzzy'], 'en', 'es');
    expect(out).toContain('Hawkerbag');
    expect(out).toContain('xyzzy');
    expect(out).not.toContain('*Hawkerbag');
    expect(out).not.toContain('*xyzzy');
    expect(out).toContain('*');
    expect(out).toContain('[');
  });

  it('keeps line breaks', async () => {
    expect(await apertium.translate(['I like\nred cars'], 'en', 'es')).toEqual(['Me gustan\nlos coches rojos']);
  });

  it('refuses a direction it does not have', async () => {
    await expect(apertium.translate(['hi'], 'en', 'ko')).rejects.toBeInstanceOf(TranslatorUnavailable);
  });

  it('answers in milliseconds once its pipeline runs', async () => {
    await apertium.translate(['warm'], 'en', 'es');
    const texts = Array.from({ length: 50 }, (_, i) => `Message number ${i}: this bag is great and cheap today!`);
    const started = performance.now();
    const out = await apertium.translate(texts, 'en', 'es');
    const ms = performance.now() - started;
    console.log(`apertium en→es: 50 chat messages in ${ms.toFixed(0)} ms`);
    expect(out).toHaveLength(50);
    expect(out[7]).toMatch(/^Número de mensaje 7:/);
    expect(ms).toBeLessThan(3000);
  });
});

describe('an Apertium pipeline’s supervision', () => {
  const log = logger('test');
  const pipelines: ApertiumPipeline[] = [];
  const pipeline = (command: string, opts: Partial<{ timeoutMs: number; startTimeoutMs: number; maxQueued: number; idleMs: number }> = {}) => {
    const p = new ApertiumPipeline({ command, log, timeoutMs: 2000, startTimeoutMs: 2000, maxQueued: 10, idleMs: 60_000, ...opts });
    pipelines.push(p);
    return p;
  };
  afterAll(() => pipelines.forEach((p) => p.close()));

  // `cat` passes the stream through: each text comes back as it went in.
  it('gives concurrent batches their own answers in order', async () => {
    const p = pipeline('cat');
    const [a, b] = await Promise.all([p.translate(['one', 'two']), p.translate(['three'])]);
    expect(a).toEqual(['one', 'two']);
    expect(b).toEqual(['three']);
  });

  it('refuses a batch beyond its queue at once', async () => {
    const p = pipeline('cat', { maxQueued: 3 });
    await expect(p.translate(['1', '2', '3', '4'])).rejects.toThrow('queue full');
    expect(await p.translate(['1', '2', '3'])).toEqual(['1', '2', '3']);
  });

  it('fails a batch that stalls, and starts a new process for the next', async () => {
    // Answers its first (loading) text, then never another.
    const p = pipeline('head -c 3; exec sleep 30', { timeoutMs: 300 });
    await expect(p.translate(['lost'])).rejects.toThrow(/^apertium took over 300 ms$/);
    await expect(p.translate(['lost again'])).rejects.toThrow(TranslatorUnavailable);
    expect(p.starts).toBe(2);
  });

  it('gives a pipeline time to load before the batch’s own clock starts', async () => {
    const slow = pipeline('sleep 1; exec cat', { timeoutMs: 300, startTimeoutMs: 5000 });
    expect(await slow.translate(['loaded'])).toEqual(['loaded']);
    const stuck = pipeline('exec sleep 30', { timeoutMs: 5000, startTimeoutMs: 300 });
    await expect(stuck.translate(['never'])).rejects.toThrow('took over 300 ms to start');
  });

  it('fails what a dying process held, then rests after dying again and again', async () => {
    const p = pipeline('read -r -d "" x; exit 1');
    for (let i = 0; i < 3; i++) await expect(p.translate(['x'])).rejects.toThrow(/exited/);
    await expect(p.translate(['x'])).rejects.toThrow('resting');
    expect(p.starts).toBe(3);
  });

  it('stops when idle and starts again on the next text', async () => {
    const p = pipeline('cat', { idleMs: 100 });
    expect(await p.translate(['a'])).toEqual(['a']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await p.translate(['b'])).toEqual(['b']);
    expect(p.starts).toBe(2);
  });
});
