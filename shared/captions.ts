/**
 * Live captions: the cues a show's speech becomes, the host's caption settings and the replay's
 * transcript. The server transcribes the host's audio; WebRTC viewers get cues over ws (the
 * `captions` notification), LL-HLS viewers a WebVTT rendition, replays the stored transcript.
 */
import { z } from 'zod';
import { languageTagSchema } from './language-tag.ts';

/** A show's language until its host picks another. */
export const DEFAULT_CAPTION_LANGUAGE = 'en';

/** Most final cues a transcript reply carries (the earliest ones matching). */
export const MAX_TRANSCRIPT_CUES = 200;
/** Longest search text a transcript query takes. */
export const MAX_TRANSCRIPT_QUERY = 100;

/**
 * One caption: an utterance's text, interim (replaced by the next cue with the same id) or final.
 * `startAt` and `endAt` are epoch ms on the server's clock, when the words were spoken.
 */
export const captionCueSchema = z
  .strictObject({
    /** The same for every interim version of one utterance and its final. */
    id: z.string(),
    showId: z.string(),
    text: z.string(),
    final: z.boolean(),
    language: z.string(),
    startAt: z.number(),
    endAt: z.number()
  })
  .meta({ id: 'CaptionCue' });
export type CaptionCue = z.infer<typeof captionCueSchema>;

/** What the host chooses: captions on or off and the language spoken in the show. */
export const captionSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  language: languageTagSchema
});
export type CaptionSettings = z.infer<typeof captionSettingsSchema>;

/** PUT /shows/:id/captions: either or both. */
export const updateCaptionSettingsSchema = captionSettingsSchema
  .partial()
  .refine((v) => v.enabled !== undefined || v.language !== undefined, 'Nothing to update.');
export type UpdateCaptionSettingsInput = z.infer<typeof updateCaptionSettingsSchema>;

export const CAPTION_PROVIDERS = ['pocketsphinx', 'openai'] as const;
export type CaptionProvider = (typeof CAPTION_PROVIDERS)[number];

/**
 * A show's caption settings with what this server can do: `provider` is null when no speech engine
 * is configured (captions are off everywhere); `languages` are the ones it transcribes.
 */
export const captionSettingsDtoSchema = z
  .strictObject({
    enabled: z.boolean(),
    language: z.string(),
    provider: z.enum(CAPTION_PROVIDERS).nullable(),
    languages: z.array(z.string())
  })
  .meta({ id: 'CaptionSettings' });
export type CaptionSettingsDto = z.infer<typeof captionSettingsDtoSchema>;

/** GET /shows/:id/transcript?q= */
export const transcriptQuerySchema = z.object({
  q: z.string().trim().max(MAX_TRANSCRIPT_QUERY).optional()
});

/** A final cue of the transcript; `offsetMs` is from the start of the show's recording, to seek the replay to. */
export const transcriptCueSchema = z
  .strictObject({
    id: z.string(),
    text: z.string(),
    startAt: z.number(),
    endAt: z.number(),
    offsetMs: z.number()
  })
  .meta({ id: 'TranscriptCue' });
export type TranscriptCue = z.infer<typeof transcriptCueSchema>;

export const transcriptDtoSchema = z
  .strictObject({
    cues: z.array(transcriptCueSchema),
    /** More cues matched than the reply carries. */
    truncated: z.boolean()
  })
  .meta({ id: 'Transcript' });
export type TranscriptDto = z.infer<typeof transcriptDtoSchema>;
