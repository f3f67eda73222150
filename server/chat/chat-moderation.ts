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
 * The one read behind every bid, buy and chat message, prepared once (building and compiling it per
 * call cost more than the bid's own commit in a bid storm): the show's host, the sender's ban or
 * timeout there and their block on the host's channel, in one round trip.
 */
function standingRead(repo: Repo) {
  const userId = sql.placeholder('userId');
  return repo.prepare((db, { shows, showBans, channelBlocks }) =>
    db
      .select({ hostId: shows.hostId, banned: showBans.userId, until: showBans.until, blocked: channelBlocks.userId })
      .from(shows)
      .leftJoin(showBans, and(eq(showBans.showId, shows.id), eq(showBans.userId, userId)))
      .leftJoin(channelBlocks, and(eq(channelBlocks.hostId, shows.hostId), eq(channelBlocks.userId, userId)))
      .where(eq(shows.id, sql.placeholder('showId')))
  );
}

/**
 * Who may moderate a show (its host, moderators, admins), who is kept out of its
 * chat (timeouts, bans, channel blocks), and the log of every action with who and why.
 */
export class ChatModeration {
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #now: () => number;
  readonly #standing: ReturnType<typeof standingRead>;

  constructor(repo: Repo, shows: Shows, now: () => number = Date.now) {
    this.#repo = repo;
    this.#shows = shows;
    this.#now = now;
    this.#standing = standingRead(repo);
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
    const { until } = await this.#assertNotExcluded(showId, userId);
    if (until !== null && until > this.#now()) {
      const seconds = Math.ceil((until - this.#now()) / 1000);
      throw new AppError('forbidden', `You are timed out for ${seconds} more seconds.`, { reason: 'timed_out', seconds });
    }
  }

  /**
   * Throws unless `userId` may bid, buy, vote and claim coupons in the show. A ban or a
   * channel block shuts them out of all of it; a timeout only mutes them in chat.
   */
  async assertMayTakePart(showId: string, userId: string): Promise<void> {
    await this.#assertNotExcluded(showId, userId);
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
  /** Throws if a ban or a channel block keeps the user out of the show; else their timeout's end, if any. */
  async #assertNotExcluded(showId: string, userId: string): Promise<{ until: number | null }> {
    const standing = await this.#standing.one({ showId, userId });
    if (!standing) throw new AppError('not_found', 'No such show.');
    if (standing.banned !== null && standing.until === null) throw new AppError('forbidden', 'You are banned from this show.', { reason: 'banned' });
    if (standing.blocked !== null) throw new AppError('forbidden', 'You are blocked from this channel.', { reason: 'blocked' });
    return { until: standing.until };
  }

  async #guardTarget(showId: string, userId: string): Promise<void> {
    if ((await this.#shows.get(showId)).host.id === userId) throw new AppError('forbidden', 'The host cannot be removed from their own show.');
  }

  async #setBan(showId: string, userId: string, until: number | null): Promise<void> {
    const { showBans } = this.#repo.t;
    await this.#repo.changes(this.#repo.db.insert(showBans).values({ showId, userId, until }).onConflictDoUpdate({ target: [showBans.showId, showBans.userId], set: { until } }));
  }
}
