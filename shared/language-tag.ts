import { z } from 'zod';

/**
 * A language as captions and chat translation name it: ISO 639-1 (or 639-3 where there is none),
 * optionally with a region: "en", "zh", "pt-BR".
 */
export const languageTagSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'A language code such as "en" or "ko".');
