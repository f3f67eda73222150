import { z } from 'zod';

/** A shop is its host's account; ids are the server's own (newId: 22 URL-safe characters). */
export const hostIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'No such shop.');

/** A shop's followers, and whether the asking account is one of them (false when signed out). */
export const followDtoSchema = z.strictObject({ hostId: z.string(), followers: z.number(), following: z.boolean() }).meta({ id: 'Follow' });
export type FollowDto = z.infer<typeof followDtoSchema>;

/** Who followed, as the host's live feed names them. */
export interface FollowerDto {
  id: string;
  displayName: string;
}
