import { describe, expect, it } from 'vitest';
import { firstShown, matchedPairs } from './word-delays.ts';

describe('matchedPairs', () => {
  it('pairs the equal words where the caption fits inside the reference', () => {
    expect(matchedPairs(['this', 'led', 'for', 'handbag'], ['this', 'leather', 'handbag'])).toEqual([
      [0, 0],
      [3, 2]
    ]);
    expect(matchedPairs(['the', 'show'], ['welcome', 'to', 'the', 'show', 'the', 'bag'])).toEqual([
      [0, 2],
      [1, 3]
    ]);
    expect(matchedPairs([], ['a'])).toEqual([]);
  });
});

describe('firstShown', () => {
  const reference = ['welcome', 'to', 'the', 'show', 'the', 'bag'].map((word, i) => ({ word, spokenAt: 1000 + i * 300 }));

  it('marks each word with the first caption that showed it, interim or final', () => {
    const shown = firstShown(reference, [
      { text: 'welcome', startAt: 900, endAt: 1300, at: 1500 },
      { text: 'welcome to the', startAt: 900, endAt: 1700, at: 1900 },
      { text: 'Welcome to the show.', startAt: 900, endAt: 2000, at: 2400 }
    ]);
    expect(shown).toEqual([1500, 1900, 1900, 2400, null, null]);
  });

  it('tells a repeated word from its twin by where it was spoken', () => {
    const shown = firstShown(reference, [
      { text: 'welcome to the show', startAt: 900, endAt: 2000, at: 2200 },
      { text: 'the bag', startAt: 9000, endAt: 9800, at: 9900 },
      { text: 'the bag', startAt: 2100, endAt: 2600, at: 2800 }
    ]);
    expect(shown).toEqual([2200, 2200, 2200, 2200, 2800, 2800]);
  });
});
