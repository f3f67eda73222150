import { describe, expect, it } from 'vitest';
import { parseSphinxLine } from './sphinx-lines.ts';

describe('parseSphinxLine', () => {
  it('reads an interim and a final with its words', () => {
    expect(parseSphinxLine('{"utt":0,"final":false,"text":"this leather","startMs":800,"endMs":1900}')).toEqual({
      utt: 0,
      final: false,
      text: 'this leather',
      startMs: 800,
      endMs: 1900
    });
    const final = parseSphinxLine(
      '{"utt":3,"final":true,"text":"made in italy","words":[{"word":"made","startMs":3810,"endMs":4060},{"word":"in","startMs":4060,"endMs":4310},{"word":"italy","startMs":4310,"endMs":4810}],"startMs":3810,"endMs":4810}'
    );
    expect(final?.final).toBe(true);
    expect(final?.words?.map((w) => w.word)).toEqual(['made', 'in', 'italy']);
    expect(final?.words?.[2]).toEqual({ word: 'italy', startMs: 4310, endMs: 4810 });
  });

  it('keeps escaped characters', () => {
    expect(parseSphinxLine('{"utt":1,"final":true,"text":"it\'s \\"fine\\" \\\\ ok","words":[],"startMs":0,"endMs":10}')?.text).toBe('it\'s "fine" \\ ok');
  });

  it('refuses what is not one of its lines', () => {
    for (const line of [
      '',
      'INFO: ps_lattice.c(1441): Bestpath score: -54',
      '{"utt":0,"final":false,"text":"torn',
      '{"utt":-1,"final":true,"text":"x","startMs":0,"endMs":1}',
      '{"utt":0,"final":"yes","text":"x","startMs":0,"endMs":1}',
      '{"utt":0,"final":true,"text":"x","startMs":0.5,"endMs":1}',
      '[1,2]'
    ]) {
      expect(parseSphinxLine(line), line).toBeNull();
    }
  });
});
