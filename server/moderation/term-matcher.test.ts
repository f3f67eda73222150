import { describe, expect, it } from 'vitest';
import { TermMatcher } from './term-matcher.ts';

const identity = (s: string) => s;

describe('TermMatcher', () => {
  it('masks allowlisted compounds before searching', () => {
    const m = new TermMatcher(['시발', '씨발'], { prepare: identity, allow: ['시발점', '발아'] });
    expect(m.find('시발점에서 만나요')).toEqual([]);
    expect(m.find('호박씨발아율')).toEqual([]);
    expect(m.find('시발점 말고 시발')).toEqual(['시발']);
  });

  it('treats a space in a term as optional', () => {
    const m = new TermMatcher(['미친 새끼'], { prepare: identity });
    expect(m.find('미친새끼')).toEqual(['미친 새끼']);
    expect(m.find('미친 새끼')).toEqual(['미친 새끼']);
  });

  it('needs word edges where a term starts or ends with a Latin letter', () => {
    const m = new TermMatcher(['傻b', 'tlqkf'], { prepare: identity });
    expect(m.find('傻bag')).toEqual([]);
    expect(m.find('xtlqkf')).toEqual([]);
    expect(m.find('傻b tlqkf')).toEqual(['傻b', 'tlqkf']);
  });

  it('allows a space anywhere with loose spacing and reports each term once', () => {
    const m = new TermMatcher(['ShopMart', '쿠팡'], { prepare: (s) => s.toLowerCase(), looseSpacing: true });
    expect(m.find('shop mart and shopmart')).toEqual(['ShopMart']);
    expect(m.find('쿠 팡에서')).toEqual(['쿠팡']);
  });
});
