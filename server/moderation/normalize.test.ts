import { describe, expect, it } from 'vitest';
import { normalize, skeleton } from './normalize.ts';

describe('normalize', () => {
  it('folds width, case, styled letters and accents', () => {
    expect(normalize('ＦＵＣＫ')).toBe('fuck');
    expect(normalize('𝐅𝐮𝐜𝐤 ⓕⓤⓒⓚ')).toBe('fuck fuck');
    expect(normalize('Fück')).toBe('fuck');
    expect(normalize('ꜰᴜᴄᴋ 🅵🆄🅲🅺 🇫🇺🇨🇰')).toBe('fuck fuck fuck');
  });

  it('maps Cyrillic and Greek look-alikes to Latin', () => {
    expect(normalize('ѕhіt')).toBe('shit');
    expect(normalize('АSS')).toBe('ass');
    expect(normalize('сοсk')).toBe('cock');
  });

  it('drops zero-width, format and filler characters', () => {
    expect(normalize('f\u200Bu\u200Cc\u200Dk\u2060\uFEFF')).toBe('fuck');
    expect(normalize('s\u00ADh\u034Fit')).toBe('shit');
    expect(normalize('씨\u3164발')).toBe('씨발');
  });

  it('joins letters split by separators but keeps real words apart', () => {
    expect(normalize('f u c k')).toBe('fuck');
    expect(normalize('f.u.c.k')).toBe('fuck');
    expect(normalize('f - u - c - k you')).toBe('fuck you');
    expect(normalize('fu_ck')).toBe('fuck');
    expect(normalize('the pen is nice')).toBe('the pen is nice');
    expect(normalize("who're they")).toBe("who're they");
    expect(normalize("I'm a size 8")).toBe("i'm a size 8");
    expect(normalize('아저씨 발 사이즈')).toBe('아저씨 발 사이즈');
  });

  it('keeps repeated letters and leetspeak for the English matcher', () => {
    expect(normalize('FUUUCK')).toBe('fuuuck');
    expect(normalize('$h1t')).toBe('$h1t');
  });

  it('rebuilds Hangul typed as loose jamo and keeps consonant abbreviations', () => {
    expect(normalize('ㅅㅣㅂㅏㄹ')).toBe('시발');
    expect(normalize('시바ㄹ')).toBe('시발');
    expect(normalize('시 바 ㄹ')).toBe('시발');
    expect(normalize('ㅅ ㅂ')).toBe('ㅅㅂ');
    expect(normalize('\uFFB5\uFFB2')).toBe('ㅅㅂ'); // half-width jamo
    expect(normalize('ㅋㅋㅋ')).toBe('ㅋㅋㅋ');
    expect(normalize('ㅄ')).toBe('ㅄ');
  });

  it('removes spacing and punctuation next to Han characters', () => {
    expect(normalize('傻 。 逼')).toBe('傻逼');
    expect(normalize('傻，逼')).toBe('傻逼');
    expect(normalize('傻 B')).toBe('傻b');
    expect(normalize('乳液 和 面霜')).toBe('乳液和面霜');
  });

  it('simplifies traditional characters used by the Chinese list', () => {
    expect(normalize('操你媽')).toBe('操你妈');
    expect(normalize('幹你娘')).toBe('干你娘');
  });
});

describe('skeleton', () => {
  it('decodes leetspeak and collapses repeated Latin letters', () => {
    expect(skeleton(normalize('$h0pppm4rt'))).toBe('shopmart');
    expect(skeleton(normalize('S h 0 p  M 4 r t'))).toBe('shopmart');
    expect(skeleton('bella')).toBe(skeleton('be11a'));
  });

  it('keeps Hangul and Han repeats', () => {
    expect(skeleton('쿠쿠 밥솥')).toBe('쿠쿠 밥솥');
  });
});
