import { z } from 'zod';

/**
 * What a personal API token may do, on top of its owner's own rights: `read` every GET,
 * `shows` running shows (details, going live, overlay notices, polls, chat moderation),
 * `commerce` selling (products, stock, lineups, lots, drops, coupons, fulfilling and refunding orders).
 * The route-by-route table is api-token-scopes.ts.
 */
export const TOKEN_SCOPES = ['read', 'shows', 'commerce'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** How a token starts, so leaked ones are easy to spot in logs, code and secret scanners. */
export const TOKEN_PREFIX = 'hawker_pat_';

/** A token's id as it appears in paths (the server's own: 24 characters of a lower-case alphabet). */
export const apiTokenIdSchema = z.string().regex(/^[a-z2-9]{24}$/, 'No such API token.');

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'Name the token.').max(60),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, 'Choose at least one scope.')
    .max(TOKEN_SCOPES.length)
    .transform((scopes) => TOKEN_SCOPES.filter((s) => scopes.includes(s)))
});
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

/** A token as its owner's list shows it: never its secret. Times in ms since the epoch; `lastUsedAt` is updated at most once a minute. */
export const apiTokenDtoSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable()
}).meta({ id: 'ApiToken' });
export type ApiTokenDto = z.infer<typeof apiTokenDtoSchema>;

/** The reply to creating a token: the only time the whole token (`hawker_pat_<id>_<secret>`, for `Authorization: Bearer`) is sent. */
export const createdApiTokenSchema = z.strictObject({ apiToken: apiTokenDtoSchema, token: z.string().startsWith(TOKEN_PREFIX) }).meta({ id: 'CreatedApiToken' });
export type CreatedApiTokenDto = z.infer<typeof createdApiTokenSchema>;
