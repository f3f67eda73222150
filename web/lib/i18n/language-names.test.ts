import { describe, expect, it } from 'vitest';
import { languageNamer } from './language-names';

describe('languageNamer', () => {
  it('names a language in the reader’s own', () => {
    expect(['en', 'ko', 'zh'].map((locale) => languageNamer(locale)('ko'))).toEqual(['Korean', '한국어', '韩语']);
    expect(languageNamer('en')('es')).toBe('Spanish');
  });
});
