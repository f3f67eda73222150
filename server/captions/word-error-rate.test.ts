import { describe, expect, it } from 'vitest';
import { normalizedWords, wordErrorRate, wordErrors } from './word-error-rate.ts';

describe('normalizedWords', () => {
  it('lowercases, drops punctuation and keeps apostrophes inside words', () => {
    expect(normalizedWords('  Hello, World! It\'s "49.99" — isn\'t it? ')).toEqual(['hello', 'world', "it's", '49', '99', "isn't", 'it']);
    expect(normalizedWords("'quoted'")).toEqual(['quoted']);
    expect(normalizedWords('안녕하세요, 여러분')).toEqual(['안녕하세요', '여러분']);
  });
});

describe('wordErrors', () => {
  const ref = 'This leather handbag is handmade in Italy';

  it('is zero for the same words however they are written', () => {
    expect(wordErrors(ref, 'this leather handbag, is handmade in italy.')).toEqual({ errors: 0, words: 7, rate: 0 });
  });

  it('counts substitutions, deletions and insertions once each', () => {
    expect(wordErrors(ref, 'this leather handbag is hand made in italy').errors).toBe(2); // one substitution, one insertion
    expect(wordErrors(ref, 'leather handbag is handmade in italy').errors).toBe(1);
    expect(wordErrors(ref, 'this led for him that his handmade in italy').errors).toBe(5); // three substitutions, two insertions
    expect(wordErrorRate(ref, '')).toBe(1);
    expect(wordErrorRate('a b', 'c d e f')).toBe(2);
  });

  it('has nothing to compare against an empty reference', () => {
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('', 'noise')).toBe(1);
  });
});
