import { z } from 'zod';
import { bidRequestSchema, maxBidRequestSchema } from '#shared/auctions.ts';
import { USER_ROLES } from '#shared/auth.ts';

/** The caller as the node that took the request authenticated it. */
const caller = z.object({ id: z.string().min(1), email: z.string(), displayName: z.string(), role: z.enum(USER_ROLES) });
const lotId = z.string().min(1).max(64);

/**
 * What another node sends the show's owner: the commands that need the single writer of a live lot.
 * Nodes trust each other (Redis is theirs alone), so the caller comes as they authenticated it; the
 * shape is still checked, as at every boundary.
 */
export const forwardedSchema = z.discriminatedUnion('op', [
  bidRequestSchema.extend({ op: z.literal('bid'), caller }),
  maxBidRequestSchema.extend({ op: z.literal('setMax'), caller }),
  z.object({ op: z.literal('start'), caller, lotId }),
  z.object({ op: z.literal('cancel'), caller, lotId }),
  z.object({ op: z.literal('showEnded'), showId: z.string().min(1).max(64) })
]);
export type Forwarded = z.infer<typeof forwardedSchema>;

/** The owner's answers, checked where they arrive. */
export const bidReplySchema = z.object({ seq: z.number().int(), amount: z.number().int(), leading: z.boolean() });
export const maxReplySchema = z.object({ seq: z.number().int(), leading: z.boolean(), myMax: z.number().int() });
