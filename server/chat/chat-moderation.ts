import { and, desc, eq, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { moderationLog } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';

const log = logger('moderation');
/** The one check every way of taking part in a show (bids, buys, votes, coupon claims) goes through. */
export type Participation = Pick<ChatModeration, 'assertMayTakePart'>;
type Action = (typeof moderationLog.$inferInsert)['action'];

/**
 * The reads behind every bid, buy and chat message, prepared once: building and compiling
 * them per call cost more than the bid's own commit in a bid storm.
 */
function exclusionReads(repo: Repo) {
  const showId = sql.placeholder('showId');
  const userId = sql.placeholder('userId');
  const hostId = sql.placeholder('hostId');
  return {
    ban: repo.prepare((db, { showBans }) => db.select({ until: showBans.until }).from(showBans).where(and(eq(showBans.showId, showId), eq(showBans.userId, userId)))),
    hostOf: repo.prepare((db, { shows }) => db.select({ hostId: shows.hostId }).from(shows).where(eq(shows.id, showId))),
    block: repo.prepare((db, { channelBlocks }) =>
      db.select({ userId: channelBlocks.userId }).from(channelBlocks).where(and(eq(channelBlocks.hostId, hostId), eq(channelBlocks.userId, userId)))
    )
  };
}

/**
 * Who may moderate a show (its host, moderators, admins), who is kept out of its
 * chat (timeouts, bans, channel blocks), and the log of every action with who and why.
 */
export class ChatModeration {
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #now: () => number;
  readonly #reads: ReturnType<typeof exclusionReads>;

  constructor(repo: Repo, shows: Shows, now: () => number = Date.now) {
    this.#repo = repo;
    this.#shows = shows;
    this.#now = now;
    this.#reads = exclusionReads(repo);
  }

  /** Throws unless `actor` may moderate the show. */
  async assertModerator(actor: PublicUser | null, showId: string): Promise<PublicUser> {
    if (!actor) throw new AppError('unauthenticated', 'Sign in first.');
    const show = await this.#shows.get(showId);
    if (actor.role === 'moderator' || actor.role === 'admin' || show.host.id === actor.id) return actor;
    throw new AppError('forbidden', 'Only the host and moderators can do that.');
  }

  /** Throws unless `userId` may chat in the show right now: not excluded, not timed out. */
  async assertMayChat(showId: string, userId: string): Promise<void> {
    const ban = await this.#ban(showId, userId);
    const excluded = await this.#exclusion(showId, userId, ban);
    if (excluded) throw excluded;
    if (ban && ban.until !== null && ban.until > this.#now()) {
      const seconds = Math.ceil((ban.until - this.#now()) / 1000);
      throw new AppError('forbidden', `You are timed out for ${seconds} more seconds.`, { reason: 'timed_out', seconds });
    }
  }

  /**
   * Throws unless `userId` may bid, buy, vote and claim coupons in the show. A ban or a
   * channel block shuts them out of all of it; a timeout only mutes them in chat.
   */
  async assertMayTakePart(showId: string, userId: string): Promise<void> {
    const excluded = await this.#exclusion(showId, userId, await this.#ban(showId, userId));
    if (excluded) throw excluded;
  }

  async timeout(actor: PublicUser | null, showId: string, userId: string, seconds: number, reason: string): Promise<void> {
    const mod = await this.assertModerator(actor, showId);
    await this.#guardTarget(showId, userId);
    await this.#setBan(showId, userId, this.#now() + seconds * 1000);
    await this.record({ showId, actorId: mod.id, action: 'timeout', targetUserId: userId, reason: reason || `${seconds} s` });
  }

  async ban(actor: PublicUser | null, showId: string, userId: string, reason: string): Promise<void> {
    const mod = await this.assertModerator(actor, showId);
    await this.#guardTarget(showId, userId);
    await this.#setBan(showId, userId, null);
    await this.record({ showId, actorId: mod.id, action: 'ban', targetUserId: userId, reason });
  }

  async unban(actor: PublicUser | null, showId: string, userId: string, reason: string): Promise<void> {
    const mod = await this.assertModerator(actor, showId);
    const { showBans } = this.#repo.t;
    await this.#repo.changes(this.#repo.db.delete(showBans).where(and(eq(showBans.showId, showId), eq(showBans.userId, userId))));
    await this.record({ showId, actorId: mod.id, action: 'unban', targetUserId: userId, reason });
  }

  /** Blocks a user from every show of this show's host. */
  async block(actor: PublicUser | null, showId: string, userId: string, reason: string): Promise<void> {
    const mod = await this.assertModerator(actor, showId);
    await this.#guardTarget(showId, userId);
    const hostId = (await this.#shows.get(showId)).host.id;
    await this.#repo.changes(this.#repo.db.insert(this.#repo.t.channelBlocks).values({ hostId, userId }).onConflictDoNothing());
    await this.record({ showId, actorId: mod.id, action: 'block', targetUserId: userId, reason });
  }

  async record(entry: { showId: string | null; actorId: string | null; action: Action; targetUserId?: string | null; messageId?: number | null; reason?: string }): Promise<void> {
    await this.#repo.changes(this.#repo.db.insert(this.#repo.t.moderationLog).values({ ...entry, reason: entry.reason ?? '', at: this.#now() }));
    log.info({ show: entry.showId, actor: entry.actorId, action: entry.action, target: entry.targetUserId, message: entry.messageId }, entry.reason ?? '');
  }

  async history(actor: PublicUser | null, showId: string) {
    await this.assertModerator(actor, showId);
    const { moderationLog } = this.#repo.t;
    return this.#repo.all(this.#repo.db.select().from(moderationLog).where(eq(moderationLog.showId, showId)).orderBy(desc(moderationLog.id)).limit(500));
  }

  /** Why `userId` is kept out of the show, given their ban there (read once by the caller), or null. */
  async #exclusion(showId: string, userId: string, ban: { until: number | null } | undefined): Promise<AppError | null> {
    if (ban?.until === null) return new AppError('forbidden', 'You are banned from this show.', { reason: 'banned' });
    const show = await this.#reads.hostOf.one({ showId });
    if (!show) throw new AppError('not_found', 'No such show.');
    if (await this.#reads.block.one({ hostId: show.hostId, userId })) {
      return new AppError('forbidden', 'You are blocked from this channel.', { reason: 'blocked' });
    }
    return null;
  }

  #ban(showId: string, userId: string): Promise<{ until: number | null } | undefined> {
    return this.#reads.ban.one({ showId, userId });
  }

  async #guardTarget(showId: string, userId: string): Promise<void> {
    if ((await this.#shows.get(showId)).host.id === userId) throw new AppError('forbidden', 'The host cannot be removed from their own show.');
  }

  async #setBan(showId: string, userId: string, until: number | null): Promise<void> {
    const { showBans } = this.#repo.t;
    await this.#repo.changes(this.#repo.db.insert(showBans).values({ showId, userId, until }).onConflictDoUpdate({ target: [showBans.showId, showBans.userId], set: { until } }));
  }
}
