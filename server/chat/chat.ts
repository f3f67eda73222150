import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { chatMessages, chatSettings } from '../db/schema.ts';
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
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #moderation: ChatModeration;
  readonly #now: () => number;
  readonly #burst: SharedLimit;
  /** Slow mode's one message per window, per show and sender, shared by the cluster: one count per window length in use. */
  readonly #slow = new Map<number, SharedLimit>();
  readonly #limits: LimitStore;
  /** Each show's filter with the blocklist it was built from: another node may change the list. */
  readonly #filters = new Map<string, { terms: string; filter: WordFilter }>();

  constructor(opts: { repo: Repo; shows: Shows; moderation: ChatModeration; limits: LimitStore; now?: () => number }) {
    super();
    this.#repo = opts.repo;
    this.#shows = opts.shows;
    this.#moderation = opts.moderation;
    this.#now = opts.now ?? Date.now;
    this.#burst = opts.limits.limit({ name: 'chat', limit: 5, windowSeconds: 10 });
    this.#limits = opts.limits;
  }

  async send(user: PublicUser | null, showId: string, rawText: string, replyTo?: number, question = false): Promise<ChatMessageDto> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to chat.');
    const key = `${showId}:${user.id}`;
    const show = await this.#shows.get(showId);
    if (!isStaff(user, show) && !(await this.#burst.take(key))) throw new AppError('rate_limited', 'You are sending messages too fast.');
    await this.#moderation.assertMayChat(showId, user.id);
    const text = rawText.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
    if (!text) throw new AppError('bad_request', 'Write something first.', { reason: 'message_empty' });
    if ([...text].length > MAX_CHAT_LENGTH) throw new AppError('bad_request', `Messages may be at most ${MAX_CHAT_LENGTH} characters.`, {
        reason: 'message_too_long',
        limit: MAX_CHAT_LENGTH
      });
    const settings = await this.#settings(showId);
    if (!isStaff(user, show)) {
      const slow = settings.slowModeSeconds;
      if (slow > 0 && !(await this.#slowMode(slow).take(key))) {
        throw new AppError('rate_limited', `Slow mode is on: one message every ${slow} s.`, { reason: 'slow_mode', seconds: slow });
      }
    }
    const verdict = this.#filter(showId, settings.blocklist).check(text);
    if (!verdict.ok) {
      await this.#moderation.record({ showId, actorId: null, action: 'filtered', targetUserId: user.id, reason: verdict.matches.map((m) => m.lang).join(',') });
      throw new AppError('bad_request', 'Your message contains words that are not allowed here.', { reason: 'message_blocked' });
    }
    const { db, t } = this.#repo;
    if (replyTo !== undefined && !(await this.#message(showId, replyTo))) throw new AppError('not_found', 'The message you reply to is gone.');
    const row = (await this.#repo.one(
      db.insert(t.chatMessages).values({ showId, userId: user.id, text, replyTo: replyTo ?? null, question: isQuestion(text, question), at: this.#now() }).returning()
    ))!;
    const dto = (await this.#toDtos(show.host.id, [row]))[0]!;
    this.emit('message', showId, dto);
    return dto;
  }

  async state(showId: string): Promise<ChatState> {
    const show = await this.#shows.get(showId);
    const { db, t } = this.#repo;
    const rows = (
      await this.#repo.all(
        db.select().from(t.chatMessages).where(and(eq(t.chatMessages.showId, showId), isNull(t.chatMessages.deletedAt))).orderBy(desc(t.chatMessages.id)).limit(HISTORY)
      )
    ).reverse();
    const settings = await this.#settings(showId);
    return { messages: await this.#toDtos(show.host.id, rows), pinned: await this.#pinned(show.host.id, settings.pinnedMessageId), slowModeSeconds: settings.slowModeSeconds };
  }

  async delete(actor: PublicUser | null, messageId: number, reason: string): Promise<void> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.chatMessages).where(eq(t.chatMessages.id, messageId)));
    if (!row) throw new AppError('not_found', 'No such message.');
    const mod = await this.#moderation.assertModerator(actor, row.showId);
    await this.#repo.changes(db.update(t.chatMessages).set({ deletedAt: this.#now() }).where(eq(t.chatMessages.id, messageId)));
    await this.#moderation.record({ showId: row.showId, actorId: mod.id, action: 'delete', targetUserId: row.userId, messageId, reason });
    this.emit('deleted', row.showId, messageId);
  }

  async report(user: PublicUser | null, messageId: number, reason: string): Promise<void> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to report a message.');
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.chatMessages).where(eq(t.chatMessages.id, messageId)));
    if (!row) throw new AppError('not_found', 'No such message.');
    await this.#moderation.record({ showId: row.showId, actorId: user.id, action: 'report', targetUserId: row.userId, messageId, reason });
  }

  async setSlowMode(actor: PublicUser | null, showId: string, seconds: number): Promise<void> {
    const mod = await this.#moderation.assertModerator(actor, showId);
    await this.#saveSettings(showId, { slowModeSeconds: seconds });
    await this.#moderation.record({ showId, actorId: mod.id, action: 'slow_mode', reason: `${seconds} s` });
  }

  async pin(actor: PublicUser | null, showId: string, messageId: number | null): Promise<void> {
    const mod = await this.#moderation.assertModerator(actor, showId);
    if (messageId !== null && !(await this.#message(showId, messageId))) throw new AppError('not_found', 'No such message.');
    await this.#saveSettings(showId, { pinnedMessageId: messageId });
    await this.#moderation.record({ showId, actorId: mod.id, action: 'pin', messageId });
  }

  async setBlocklist(actor: PublicUser | null, showId: string, terms: string[]): Promise<void> {
    const mod = await this.#moderation.assertModerator(actor, showId);
    await this.#saveSettings(showId, { blocklist: terms });
    await this.#moderation.record({ showId, actorId: mod.id, action: 'blocklist', reason: `${terms.length} terms` });
  }

  /** The show's messages still shown (not deleted), by id: what a viewer may have translated. */
  async visibleTexts(showId: string, ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      db
        .select({ id: t.chatMessages.id, text: t.chatMessages.text })
        .from(t.chatMessages)
        .where(and(eq(t.chatMessages.showId, showId), inArray(t.chatMessages.id, [...ids]), isNull(t.chatMessages.deletedAt)))
    );
    return new Map(rows.map((r) => [r.id, r.text]));
  }

  /** The show's word filter with its blocklist as it stands now (it may have grown since a message was sent). */
  async wordFilter(showId: string): Promise<WordFilter> {
    return this.#filter(showId, (await this.#settings(showId)).blocklist);
  }

  /** The show's filter, built once per blocklist (as stored now, whichever node changed it). */
  #filter(showId: string, blocklist: string[]): WordFilter {
    const terms = JSON.stringify(blocklist);
    let f = this.#filters.get(showId);
    if (f?.terms !== terms) {
      f = { terms, filter: blocklist.length ? new WordFilter({ extraTerms: blocklist }) : defaultWordFilter() };
      this.#filters.set(showId, f);
    }
    return f.filter;
  }

  #slowMode(seconds: number): SharedLimit {
    let limit = this.#slow.get(seconds);
    if (!limit) this.#slow.set(seconds, (limit = this.#limits.limit({ name: `chat-slow-${seconds}`, limit: 1, windowSeconds: seconds })));
    return limit;
  }

  async #message(showId: string, id: number) {
    const { db, t } = this.#repo;
    return this.#repo.one(db.select({ id: t.chatMessages.id }).from(t.chatMessages).where(and(eq(t.chatMessages.id, id), eq(t.chatMessages.showId, showId))));
  }

  async #settings(showId: string) {
    const { db, t } = this.#repo;
    return (
      (await this.#repo.one(db.select().from(t.chatSettings).where(eq(t.chatSettings.showId, showId)))) ?? {
        showId,
        slowModeSeconds: 0,
        pinnedMessageId: null,
        blocklist: [] as string[]
      }
    );
  }

  async #saveSettings(showId: string, patch: Partial<typeof chatSettings.$inferInsert>): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(db.insert(t.chatSettings).values({ showId, ...patch }).onConflictDoUpdate({ target: t.chatSettings.showId, set: patch }));
    const s = await this.#settings(showId);
    this.emit('settings', showId, { pinned: await this.#pinned((await this.#shows.get(showId)).host.id, s.pinnedMessageId), slowModeSeconds: s.slowModeSeconds });
  }

  async #pinned(hostId: string, id: number | null): Promise<ChatMessageDto | null> {
    if (id === null) return null;
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.chatMessages).where(and(eq(t.chatMessages.id, id), isNull(t.chatMessages.deletedAt))));
    return row ? ((await this.#toDtos(hostId, [row]))[0] ?? null) : null;
  }

  async #toDtos(hostId: string, rows: (typeof chatMessages.$inferSelect)[]): Promise<ChatMessageDto[]> {
    if (rows.length === 0) return [];
    const { db, t } = this.#repo;
    const replyIds = rows.flatMap((r) => (r.replyTo ? [r.replyTo] : []));
    const replies = new Map(
      replyIds.length ? (await this.#repo.all(db.select().from(t.chatMessages).where(inArray(t.chatMessages.id, replyIds)))).map((r) => [r.id, r]) : []
    );
    const userIds = [...new Set([...rows.map((r) => r.userId), ...[...replies.values()].map((r) => r.userId)])];
    const people = new Map(
      (await this.#repo.all(db.select({ id: t.users.id, displayName: t.users.displayName, role: t.users.role }).from(t.users).where(inArray(t.users.id, userIds)))).map((u) => [u.id, u])
    );
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
