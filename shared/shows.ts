import { z } from 'zod';

export const SHOW_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type ShowStatus = (typeof SHOW_STATUSES)[number];

/** The one show lifecycle: scheduled → live → ended. A scheduled show may also be ended (cancelled). */
const transitions: Record<ShowStatus, readonly ShowStatus[]> = {
  scheduled: ['live', 'ended'],
  live: ['ended'],
  ended: []
};

export function canTransition(from: ShowStatus, to: ShowStatus): boolean {
  return transitions[from].includes(to);
}

/** A show's cover: the types and size the server takes (it re-encodes the image). */
export const COVER_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_COVER_BYTES = 2 * 1024 * 1024;

export const showStatusQuerySchema = z.object({
  status: z.enum(SHOW_STATUSES).optional()
});

const title = z.string().trim().min(1, 'A show needs a title.').max(120);
const description = z.string().trim().max(4000);
/** ISO date-time or epoch milliseconds. */
const scheduledAt = z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).transform((v) =>
  typeof v === 'number' ? v : Date.parse(v)
);

export const createShowSchema = z.object({
  title,
  description: description.default(''),
  scheduledAt
});
export type CreateShowInput = z.infer<typeof createShowSchema>;

export const updateShowSchema = z
  .object({ title, description, scheduledAt })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to update.');
export type UpdateShowInput = z.infer<typeof updateShowSchema>;

/** The copy's title, in the host's language ("… (copy)" when not given). */
export const duplicateShowSchema = z.object({ title: title.optional() });
export type DuplicateShowInput = z.infer<typeof duplicateShowSchema>;

export const showDtoSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(SHOW_STATUSES),
    scheduledAt: z.number(),
    startedAt: z.number().nullable(),
    endedAt: z.number().nullable(),
    coverUrl: z.string().nullable(),
    host: z.strictObject({ id: z.string(), displayName: z.string() }),
    isDemo: z.boolean()
  })
  .meta({ id: 'Show' });
export type ShowDto = z.infer<typeof showDtoSchema>;
