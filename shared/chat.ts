import { z } from 'zod';
import type { UserRole } from './auth.ts';

export const MAX_CHAT_LENGTH = 500;
const id = z.string().min(1).max(64);

export const chatSendSchema = z.object({
  showId: id,
  // Control characters are stripped server-side; length is checked after that.
  text: z.string().max(MAX_CHAT_LENGTH * 4),
  replyTo: z.number().int().positive().optional(),
  /** The sender asks the host something; a message ending in ? or ？ counts as one anyway. */
  question: z.boolean().optional()
});
export const chatHistorySchema = z.object({ showId: id });
export const heartSchema = z.object({ showId: id });

export const moderateSchema = z.object({ reason: z.string().trim().max(300).default('') });
export const timeoutSchema = z.object({ userId: id, seconds: z.number().int().min(10).max(7 * 24 * 3600), reason: z.string().trim().max(300).default('') });
export const banSchema = z.object({ userId: id, reason: z.string().trim().max(300).default('') });
export const slowModeSchema = z.object({ seconds: z.number().int().min(0).max(600) });
export const blocklistSchema = z.object({ terms: z.array(z.string().trim().min(2).max(60)).max(500) });
export const reportSchema = z.object({ reason: z.string().trim().min(1, 'Say what is wrong.').max(300) });
/** Pins a message, or unpins the pinned one with null. */
export const chatPinSchema = z.object({ messageId: z.number().int().positive().nullable().default(null) });

export type Badge = 'host' | 'moderator';

export interface ChatMessageDto {
  id: number;
  user: { id: string; displayName: string; badge: Badge | null };
  text: string;
  replyTo: { id: number; displayName: string; text: string } | null;
  /** Surfaced to the host, who may pin it as the current question. */
  question: boolean;
  at: number;
}

export function isQuestion(text: string, marked = false): boolean {
  return marked || /[?？]$/.test(text.trim());
}

export interface ChatState {
  messages: ChatMessageDto[];
  pinned: ChatMessageDto | null;
  slowModeSeconds: number;
}

export function badgeFor(role: UserRole, isHost: boolean): Badge | null {
  if (isHost) return 'host';
  return role === 'moderator' || role === 'admin' ? 'moderator' : null;
}

/** What the studio's on-device classifier reports when it pauses or blurs the broadcast. */
export const moderationEventSchema = z.object({
  kind: z.literal('nsfw_frame'),
  score: z.number().min(0).max(1),
  action: z.enum(['paused', 'blurred', 'resumed'])
});

/** One line of a show's moderation log, newest first: who did what to whom, and why. */
export const moderationEntryDtoSchema = z
  .strictObject({
    id: z.number(),
    showId: z.string().nullable(),
    actorId: z.string().nullable(),
    action: z.string(),
    targetUserId: z.string().nullable(),
    messageId: z.number().nullable(),
    reason: z.string(),
    at: z.number()
  })
  .meta({ id: 'ModerationEntry' });
export type ModerationEntryDto = z.infer<typeof moderationEntryDtoSchema>;
