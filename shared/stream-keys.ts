import { z } from 'zod';

/**
 * A show's stream key for WHIP encoders (OBS): 32 random bytes in base64url, sent as
 * `Authorization: Bearer <key>` to `/whip/<showId>`.
 */
export const streamKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a stream key.');

/**
 * Whether the show has a stream key (the key itself is shown only once, when made), since when (ms since
 * the epoch), and whether an encoder publishes with it right now.
 */
export const streamKeyDtoSchema = z.strictObject({ createdAt: z.number().int().nullable(), streaming: z.boolean() }).meta({ id: 'StreamKey' });
export type StreamKeyDto = z.infer<typeof streamKeyDtoSchema>;

/** The reply that makes (or replaces) a key: the only time the key is sent. Replacing it ends the old key's streams. */
export const createdStreamKeySchema = z.strictObject({ key: streamKeySchema, createdAt: z.number().int() }).meta({ id: 'CreatedStreamKey' });
export type CreatedStreamKeyDto = z.infer<typeof createdStreamKeySchema>;

/** Where encoders publish a show (WHIP) and players watch it (WHEP), on the server's own origin. */
export const whipPath = (showId: string) => `/whip/${encodeURIComponent(showId)}`;
export const whepPath = (showId: string) => `/whep/${encodeURIComponent(showId)}`;
