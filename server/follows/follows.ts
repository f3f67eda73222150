import { and, count, eq } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import { canHost, type PublicUser } from '#shared/auth.ts';
import type { FollowDto, FollowerDto } from '#shared/follows.ts';

/** A follow that changed something: who, which shop, its count after the change. */
export interface FollowChange {
  hostId: string;
  follower: FollowerDto;
  following: boolean;
  followers: number;
}

export interface FollowsEvents extends Record<string, unknown[]> {
  /** Emitted after the commit, and only when the pair was added or removed (a repeat changes nothing). */
  changed: [change: FollowChange];
}

/** Follow and unfollow taps per account and minute: enough for a person, too few to flood a host's feed. */
const FOLLOWS_PER_MINUTE = 20;

/** Buyers following shops. A shop is an account that may host; nobody follows themselves. */
export class Follows extends TypedEmitter<FollowsEvents> {
  readonly #repo: Repo;
  readonly #now: () => number;
  readonly #rate: SharedLimit;

  constructor(repo: Repo, limits: LimitStore, now: () => number = Date.now) {
    super();
    this.#repo = repo;
    this.#now = now;
    this.#rate = limits.limit({ name: 'follows', limit: FOLLOWS_PER_MINUTE, windowSeconds: 60 });
  }

  /** The shop's follower count, and whether `viewer` follows it. */
  async state(viewer: PublicUser | null, hostId: string): Promise<FollowDto> {
    await this.#assertShop(hostId);
    return { hostId, followers: await this.#count(hostId), following: viewer !== null && (await this.#follows(viewer.id, hostId)) };
  }

  follow(user: PublicUser, hostId: string): Promise<FollowDto> {
    return this.#set(user, hostId, true);
  }

  unfollow(user: PublicUser, hostId: string): Promise<FollowDto> {
    return this.#set(user, hostId, false);
  }

  async #set(user: PublicUser, hostId: string, following: boolean): Promise<FollowDto> {
    await this.#assertShop(hostId);
    if (user.id === hostId) throw new AppError('bad_request', 'You cannot follow your own shop.', { reason: 'own_shop' });
    if (!(await this.#rate.take(user.id))) throw new AppError('rate_limited', 'Too many follows in a short time. Wait a minute and try again.');
    const { db, t } = this.#repo;
    const changes = await this.#repo.changes(
      following
        ? db.insert(t.follows).values({ followerId: user.id, hostId, at: this.#now() }).onConflictDoNothing()
        : db.delete(t.follows).where(and(eq(t.follows.followerId, user.id), eq(t.follows.hostId, hostId)))
    );
    const dto: FollowDto = { hostId, followers: await this.#count(hostId), following };
    if (changes > 0) this.emit('changed', { hostId, follower: { id: user.id, displayName: user.displayName }, following, followers: dto.followers });
    return dto;
  }

  async #count(hostId: string): Promise<number> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ n: count() }).from(t.follows).where(eq(t.follows.hostId, hostId))))?.n ?? 0;
  }

  async #follows(followerId: string, hostId: string): Promise<boolean> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ at: t.follows.at }).from(t.follows).where(and(eq(t.follows.followerId, followerId), eq(t.follows.hostId, hostId))))) !== undefined;
  }

  async #assertShop(hostId: string): Promise<void> {
    const { db, t } = this.#repo;
    const host = await this.#repo.one(db.select({ role: t.users.role }).from(t.users).where(eq(t.users.id, hostId)));
    if (!host || !canHost(host.role)) throw new AppError('not_found', 'No such shop.', { reason: 'no_shop' });
  }
}
