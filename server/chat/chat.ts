import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { chatMessages, chatSettings, users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import { defaultWordFilter, WordFilter } from '../moderation/word-filter.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { ShowDto } from '#shared/shows.ts';
import { badgeFor, isQuestion, MAX_CHAT_LENGTH, type ChatMessageDto, type ChatState } from '#shared/chat.ts';
import type { ChatModeration } from './chat-moderation.ts';

const HISTORY = 50;

export interface ChatEvents extends Record<string, unknown[]> {
  message: [showId: string, message: ChatMessageDto];
  deleted: [showId: string, messageId: number];
  settings: [showId: string, state: Omit<ChatState, 'messages'>];
}

/**
 * A show's chat. A message is checked (sign-in, bans, rate limit, slow mode,
 * length, word filter with the show's own blocklist), stored, then announced.
 * Text is stored as typed, minus control characters: it is rendered as text only.
 */
export class Chat extends TypedEmitter<ChatEvents> {
  readonly #db: Db;
  readonly #shows: Shows;
  readonly #moderation: ChatModeration;
  readonly #now: () => number;
  readonly #burst: SharedLimit;
  readonly #lastSent = new Map<string, number>();
  readonly #filters = new Map<string, WordFilter>();

  constructor(opts: { db: Db; shows: Shows; moderation: ChatModeration; limits: LimitStore; now?: () => number }) {
    super();
    this.#db = opts.db;
    this.#shows = opts.shows;
    this.#moderation = opts.moderation;
    this.#now = opts.now ?? Date.now;
    this.#burst = opts.limits.limit({ name: 'chat', limit: 5, windowSeconds: 10 });
  }

  async send(user: PublicUser | null, showId: string, rawText: string, replyTo?: number, question = false): Promise<ChatMessageDto> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to chat.');
    const key = `${showId}:${user.id}`;
    // The shared count is awaited first; everything after it runs in one turn, on the show as it is then.
    if (!isStaff(user, this.#shows.get(showId)) && !(await this.#burst.take(key))) throw new AppError('rate_limited', 'You are sending messages too fast.');
    const show = this.#shows.get(showId);
    this.#moderation.assertMayChat(showId, user.id);
    const text = rawText.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
    if (!text) throw new AppError('bad_request', 'Write something first.', { reason: 'message_empty' });
    if ([...text].length > MAX_CHAT_LENGTH) throw new AppError('bad_request', `Messages may be at most ${MAX_CHAT_LENGTH} characters.`, {
        reason: 'message_too_long',
        limit: MAX_CHAT_LENGTH
      });
    if (!isStaff(user, show)) {
      const slow = this.#settings(showId).slowModeSeconds;
      const last = this.#lastSent.get(key) ?? 0;
      if (slow > 0 && this.#now() - last < slow * 1000) {
        throw new AppError('rate_limited', `Slow mode is on: one message every ${slow} s.`, { reason: 'slow_mode', seconds: slow });
      }
      this.#lastSent.set(key, this.#now());
    }
    const verdict = this.#filter(showId).check(text);
    if (!verdict.ok) {
      this.#moderation.record({ showId, actorId: null, action: 'filtered', targetUserId: user.id, reason: verdict.matches.map((m) => m.lang).join(',') });
      throw new AppError('bad_request', 'Your message contains words that are not allowed here.', { reason: 'message_blocked' });
    }
    if (replyTo !== undefined && !this.#db.select({ id: chatMessages.id }).from(chatMessages).where(and(eq(chatMessages.id, replyTo), eq(chatMessages.showId, showId))).get()) {
      throw new AppError('not_found', 'The message you reply to is gone.');
    }
    const row = this.#db.insert(chatMessages).values({ showId, userId: user.id, text, replyTo: replyTo ?? null, question: isQuestion(text, question), at: this.#now() }).returning().get();
    const dto = this.#toDtos(showId, [row])[0]!;
    this.emit('message', showId, dto);
    return dto;
  }

  state(showId: string): ChatState {
    this.#shows.get(showId);
    const rows = this.#db
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.showId, showId), isNull(chatMessages.deletedAt)))
      .orderBy(desc(chatMessages.id))
      .limit(HISTORY)
      .all()
      .reverse();
    const settings = this.#settings(showId);
    return { messages: this.#toDtos(showId, rows), pinned: this.#pinned(showId, settings.pinnedMessageId), slowModeSeconds: settings.slowModeSeconds };
  }

  delete(actor: PublicUser | null, messageId: number, reason: string): void {
    const row = this.#db.select().from(chatMessages).where(eq(chatMessages.id, messageId)).get();
    if (!row) throw new AppError('not_found', 'No such message.');
    const mod = this.#moderation.assertModerator(actor, row.showId);
    this.#db.update(chatMessages).set({ deletedAt: this.#now() }).where(eq(chatMessages.id, messageId)).run();
    this.#moderation.record({ showId: row.showId, actorId: mod.id, action: 'delete', targetUserId: row.userId, messageId, reason });
    this.emit('deleted', row.showId, messageId);
  }

  report(user: PublicUser | null, messageId: number, reason: string): void {
    if (!user) throw new AppError('unauthenticated', 'Sign in to report a message.');
    const row = this.#db.select().from(chatMessages).where(eq(chatMessages.id, messageId)).get();
    if (!row) throw new AppError('not_found', 'No such message.');
    this.#moderation.record({ showId: row.showId, actorId: user.id, action: 'report', targetUserId: row.userId, messageId, reason });
  }

  setSlowMode(actor: PublicUser | null, showId: string, seconds: number): void {
    const mod = this.#moderation.assertModerator(actor, showId);
    this.#saveSettings(showId, { slowModeSeconds: seconds });
    this.#moderation.record({ showId, actorId: mod.id, action: 'slow_mode', reason: `${seconds} s` });
  }

  pin(actor: PublicUser | null, showId: string, messageId: number | null): void {
    const mod = this.#moderation.assertModerator(actor, showId);
    if (messageId !== null && !this.#db.select().from(chatMessages).where(and(eq(chatMessages.id, messageId), eq(chatMessages.showId, showId))).get()) {
      throw new AppError('not_found', 'No such message.');
    }
    this.#saveSettings(showId, { pinnedMessageId: messageId });
    this.#moderation.record({ showId, actorId: mod.id, action: 'pin', messageId });
  }

  setBlocklist(actor: PublicUser | null, showId: string, terms: string[]): void {
    const mod = this.#moderation.assertModerator(actor, showId);
    this.#saveSettings(showId, { blocklist: terms });
    this.#filters.delete(showId);
    this.#moderation.record({ showId, actorId: mod.id, action: 'blocklist', reason: `${terms.length} terms` });
  }

  #filter(showId: string): WordFilter {
    let f = this.#filters.get(showId);
    if (!f) {
      const extra = this.#settings(showId).blocklist;
      f = extra.length ? new WordFilter({ extraTerms: extra }) : defaultWordFilter();
      this.#filters.set(showId, f);
    }
    return f;
  }

  #settings(showId: string) {
    return this.#db.select().from(chatSettings).where(eq(chatSettings.showId, showId)).get() ?? { showId, slowModeSeconds: 0, pinnedMessageId: null, blocklist: [] as string[] };
  }

  #saveSettings(showId: string, patch: Partial<typeof chatSettings.$inferInsert>): void {
    this.#db.insert(chatSettings).values({ showId, ...patch }).onConflictDoUpdate({ target: chatSettings.showId, set: patch }).run();
    const s = this.#settings(showId);
    this.emit('settings', showId, { pinned: this.#pinned(showId, s.pinnedMessageId), slowModeSeconds: s.slowModeSeconds });
  }

  #pinned(showId: string, id: number | null): ChatMessageDto | null {
    if (id === null) return null;
    const row = this.#db.select().from(chatMessages).where(and(eq(chatMessages.id, id), isNull(chatMessages.deletedAt))).get();
    return row ? (this.#toDtos(showId, [row])[0] ?? null) : null;
  }

  #toDtos(showId: string, rows: (typeof chatMessages.$inferSelect)[]): ChatMessageDto[] {
    if (rows.length === 0) return [];
    const hostId = this.#shows.get(showId).host.id;
    const replyIds = rows.flatMap((r) => (r.replyTo ? [r.replyTo] : []));
    const replies = new Map(
      replyIds.length ? this.#db.select().from(chatMessages).where(inArray(chatMessages.id, replyIds)).all().map((r) => [r.id, r]) : []
    );
    const userIds = [...new Set([...rows.map((r) => r.userId), ...[...replies.values()].map((r) => r.userId)])];
    const people = new Map(this.#db.select({ id: users.id, displayName: users.displayName, role: users.role }).from(users).where(inArray(users.id, userIds)).all().map((u) => [u.id, u]));
    return rows.map((r) => {
      const u = people.get(r.userId);
      const reply = r.replyTo ? replies.get(r.replyTo) : undefined;
      return {
        id: r.id,
        user: { id: r.userId, displayName: u?.displayName ?? 'Someone', badge: u ? badgeFor(u.role, u.id === hostId) : null },
        text: r.text,
        replyTo: reply && !reply.deletedAt ? { id: reply.id, displayName: people.get(reply.userId)?.displayName ?? 'Someone', text: reply.text.slice(0, 80) } : null,
        question: r.question,
        at: r.at
      };
    });
  }
}

/** The host and moderators chat without the buyers' limits. */
function isStaff(user: PublicUser, show: ShowDto): boolean {
  return show.host.id === user.id || user.role === 'moderator' || user.role === 'admin';
}
