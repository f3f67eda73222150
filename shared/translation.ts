/**
 * Chat translation: a viewer asks for what they see in the show (chat messages, the host's notice and
 * poll question) in their own language. The server translates each text once per language and
 * caches it; the viewer keeps the original whenever a translation is withheld or fails.
 */
import { z } from 'zod';
import { languageTagSchema } from './language-tag.ts';

export const TRANSLATION_PROVIDERS = ['apertium', 'libretranslate'] as const;
export type TranslationProvider = (typeof TRANSLATION_PROVIDERS)[number];

/** Chat messages one request may name. */
export const MAX_TRANSLATION_BATCH = 50;
/** Longest text translated; a longer one is withheld and read in the original. */
export const MAX_TRANSLATED_TEXT = 1000;

/** POST /shows/:id/translations: the messages, notice and poll question the viewer sees, into `to`. */
export const translateRequestSchema = z
  .object({
    to: languageTagSchema,
    messageIds: z.array(z.number().int().positive()).max(MAX_TRANSLATION_BATCH).default([]),
    /** The host's notice over the video now. */
    notice: z.boolean().default(false),
    /** The current poll's question. */
    poll: z.boolean().default(false)
  })
  .refine((r) => r.messageIds.length > 0 || r.notice || r.poll, 'Name something to translate.');
export type TranslateRequest = z.input<typeof translateRequestSchema>;

/** What a show's viewers may translate into: the server's directions from the show's language. */
export const translationOfferDtoSchema = z
  .strictObject({
    /** null: translation is off on this server. */
    provider: z.enum(TRANSLATION_PROVIDERS).nullable(),
    /** The show's language, which its chat is taken to be in. */
    from: z.string(),
    languages: z.array(z.string())
  })
  .meta({ id: 'TranslationOffer' });
export type TranslationOfferDto = z.infer<typeof translationOfferDtoSchema>;

export const translationsDtoSchema = z
  .strictObject({
    to: z.string(),
    messages: z.array(z.strictObject({ id: z.number(), text: z.string() })),
    /** Messages not translated: deleted, not of this show, too long, or whose translation the word filter stopped. */
    withheld: z.array(z.number()),
    /** The notice translated, with the text it was made from (the notice may have changed since). */
    notice: z.strictObject({ source: z.string(), text: z.string() }).nullable(),
    /** The current poll's question translated, by poll id. */
    poll: z.strictObject({ id: z.string(), question: z.string() }).nullable()
  })
  .meta({ id: 'Translations' });
export type TranslationsDto = z.infer<typeof translationsDtoSchema>;
