import { describe, expect, it } from 'vitest';
import { captionSettingsSchema } from './captions.ts';
import { languageTagSchema } from './language-tag.ts';
import { translateRequestSchema } from './translation.ts';

describe('a language tag', () => {
  it('is a two- or three-letter code, optionally with a region', () => {
    for (const tag of ['en', 'ko', 'zh', 'yue', 'pt-BR']) expect(languageTagSchema.parse(tag)).toBe(tag);
    expect(languageTagSchema.parse(' es ')).toBe('es');
    for (const tag of ['', 'E', 'EN', 'english', 'pt-br', 'pt_BR', 'zh-Hans']) expect(languageTagSchema.safeParse(tag).success).toBe(false);
  });

  it('is read the same way by caption settings and translation requests', () => {
    for (const tag of [' es ', 'pt-BR', 'zh-Hans', 'EN']) {
      const caption = captionSettingsSchema.safeParse({ enabled: true, language: tag });
      const translation = translateRequestSchema.safeParse({ to: tag, notice: true });
      expect(caption.success).toBe(translation.success);
      if (caption.success && translation.success) expect(caption.data.language).toBe(translation.data.to);
    }
  });
});
