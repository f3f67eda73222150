import { describe, expect, it } from 'vitest';
import { align, joinTokens, tokenize, TranscriptMerger, type TranscribedWindow } from './transcript-merger.ts';

const keys = (text: string) => tokenize(text, 'en').map((t) => t.key);

describe('tokenize and joinTokens', () => {
  it('keep the punctuation and spacing of the words', () => {
    const tokens = tokenize('"Hello, world!" It costs $49.', 'en');
    expect(tokens.map((t) => t.key)).toEqual(['hello', 'world', 'it', 'costs', '49']);
    expect(joinTokens(tokens)).toBe('"Hello, world!" It costs $49.');
  });

  it('split Chinese and Korean into words and join them as they are written', () => {
    const zh = tokenize('这个包是意大利手工制作的。', 'zh');
    expect(zh.length).toBeGreaterThan(3);
    expect(joinTokens(zh)).toBe('这个包是意大利手工制作的。');
    expect(tokenize('이 가방은 이탈리아에서 만들었어요', 'ko').map((t) => t.key)).toEqual(['이', '가방은', '이탈리아에서', '만들었어요']);
  });
});

describe('align', () => {
  it('finds where the next window repeats the end of the last', () => {
    expect(align(keys('this leather handbag is'), keys('handbag is handmade in italy'))).toEqual({ cut: 2, skip: 0, n: 2 });
  });

  it('allows a word cut at either edge', () => {
    // "hand" was the cut-off start of "handbag"; "ther" the cut-off end of "leather".
    expect(align(keys('this leather hand'), keys('leather handbag is'))).toEqual({ cut: 1, skip: 0, n: 1 });
    expect(align(keys('this leather handbag'), keys('ther handbag is handmade'))).toEqual({ cut: 2, skip: 1, n: 1 });
  });

  it('takes a single shared word only where the windows meet or one word off', () => {
    expect(align(keys('costs only'), keys('only forty nine'))).toEqual({ cut: 1, skip: 0, n: 1 });
    expect(align(keys('the bag and'), keys('so the price'))).toBeNull();
    expect(align(keys('a b c d'), keys('b x y'))).toBeNull();
    expect(align([], keys('anything'))).toBeNull();
  });
});

describe('TranscriptMerger', () => {
  /** 3 s windows every 2 s, as the endpoint stream sends them. */
  const win = (i: number, text: string, overlapSilent = false): TranscribedWindow => ({
    text,
    startMs: i * 2000,
    endMs: i * 2000 + 3000,
    overlapMs: i === 0 ? 0 : 1000,
    overlapSilent: i === 0 || overlapSilent
  });
  const texts = (segments: { text: string; final: boolean }[]) => segments.map((s) => `${s.final ? 'final' : 'interim'}: ${s.text}`);

  it('joins overlapping windows into one sentence without doubled words', () => {
    const m = new TranscriptMerger('en', 1000);
    expect(texts(m.push(win(0, 'This leather handbag is.')))).toEqual(['interim: This leather handbag is.']);
    expect(texts(m.push(win(1, 'handbag is handmade in Italy.')))).toEqual(['interim: This leather handbag is handmade in Italy.']);
    expect(texts(m.push(win(2, 'In Italy, and today it costs only')))).toEqual(['interim: This leather handbag is handmade in Italy, and today it costs only']);
    expect(texts(m.push(win(3, 'costs only forty-nine dollars with free shipping.')))).toEqual([
      'interim: This leather handbag is handmade in Italy, and today it costs only forty-nine dollars with free shipping.'
    ]);
    const [final] = m.push(win(4, ''));
    expect(final).toEqual({
      text: 'This leather handbag is handmade in Italy, and today it costs only forty-nine dollars with free shipping.',
      final: true,
      startMs: 0,
      endMs: 9000
    });
    expect(m.flush()).toEqual([]);
  });

  it('ends an utterance at a sentence end the next window can no longer change', () => {
    const m = new TranscriptMerger('en', 1000);
    m.push(win(0, 'Welcome to the show.'));
    const out = m.push(win(1, 'the show. Today we have'));
    expect(texts(out)).toEqual(['final: Welcome to the show.', 'interim: Today we have']);
    expect(out[0]!.endMs).toBeLessThanOrEqual(out[1]!.startMs);
    // The words of the finished sentence heard again in the next overlap are not repeated.
    expect(texts(m.push(win(2, 'we have a new jacket')))).toEqual(['interim: Today we have a new jacket']);
  });

  it('guesses the overlap from its share of the window when nothing aligns, unless the overlap was silent', () => {
    const m = new TranscriptMerger('en', 1000);
    m.push(win(0, 'one two three'));
    expect(texts(m.push(win(1, 'tree four five six')))).toEqual(['interim: one two three four five six']);
    const silent = new TranscriptMerger('en', 1000);
    silent.push(win(0, 'one two three'));
    expect(texts(silent.push(win(1, 'four five six', true)))).toEqual(['interim: one two three four five six']);
  });

  it('cuts a long run of words without a sentence end', () => {
    const m = new TranscriptMerger('en', 1000);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    let out = m.push(win(0, words.slice(0, 8).join(' ')));
    for (let i = 1; i < 8 && !out.some((s) => s.final); i++) out = m.push(win(i, words.slice(i * 5, i * 5 + 8).join(' ')));
    const final = out.find((s) => s.final)!;
    expect(final.text.split(' ').length).toBeGreaterThan(25);
    expect(final.text.split(' ').length).toBeLessThanOrEqual(40);
    expect(final.text.startsWith('w0 w1 w2')).toBe(true);
  });

  it('merges Chinese windows without spaces', () => {
    const m = new TranscriptMerger('zh', 1000);
    m.push(win(0, '这个包是意大利'));
    expect(texts(m.push(win(1, '意大利手工制作的')))).toEqual(['interim: 这个包是意大利手工制作的']);
  });

  it('starts over after a gap in the audio', () => {
    const m = new TranscriptMerger('en', 1000);
    m.push(win(0, 'free shipping'));
    expect(texts(m.flush(true))).toEqual(['final: free shipping']);
    // Nothing to align against: all of the next window's words are new.
    expect(texts(m.push(win(5, 'shipping today', true)))).toEqual(['interim: shipping today']);
  });
});
