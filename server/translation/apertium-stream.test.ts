import { describe, expect, it } from 'vitest';
import { fromStream, splitFlushed, toStream } from './apertium-stream.ts';

describe('Apertium stream format', () => {
  it('escapes the characters the format reserves and closes each text with a superblank and a NUL', () => {
    expect(toStream('a [b] ^c$ <d> @e *f #g {h} i/j \\k')).toBe('a \\[b\\] \\^c\\$ \\<d\\> \\@e \\*f \\#g \\{h\\} i\\/j \\\\k[]\0');
  });

  it('keeps line breaks as superblanks and drops control characters, NUL above all', () => {
    expect(toStream('one\ntwo\0\u0007')).toBe('one[\n]two[]\0');
  });

  it('reads a translation back: superblanks opened, escapes undone, edges trimmed', () => {
    expect(fromStream(' Tengo \\[3\\] perros\\@casa.[\n]Hola[]')).toBe('Tengo [3] perros@casa.\nHola');
  });

  it('round-trips text that passes through untranslated', () => {
    const text = 'deal [50%] a/b <3 *wow* #tag @shop {x} back\\slash\nnext line';
    expect(fromStream(toStream(text).slice(0, -1))).toBe(text);
  });

  it('splits finished translations from the unfinished rest', () => {
    expect(splitFlushed('Hola[]\0Adiós[]\0Gra')).toEqual({ done: ['Hola[]', 'Adiós[]'], rest: 'Gra' });
    expect(splitFlushed('')).toEqual({ done: [], rest: '' });
  });
});
