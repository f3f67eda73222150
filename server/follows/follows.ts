import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { follows, users } from '../db/schema.ts';
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
  readonly #db: Db;
  readonly #now: () => number;
  readonly #rate: SharedLimit;

  constructor(db: Db, limits: LimitStore, now: () => number = Date.now) {
    super();
    this.#db = db;
    this.#now = now;
    this.#rate = limits.limit({ name: 'follows', limit: FOLLOWS_PER_MINUTE, windowSeconds: 60 });
  }

  /** The shop's follower count, and whether `viewer` follows it. */
  state(viewer: PublicUser | null, hostId: string): FollowDto {
    this.#assertShop(hostId);
    return { hostId, followers: this.#count(hostId), following: viewer !== null && this.#follows(viewer.id, hostId) };
  }

  follow(user: PublicUser, hostId: string): Promise<FollowDto> {
    return this.#set(user, hostId, true);
  }

  unfollow(user: PublicUser, hostId: string): Promise<FollowDto> {
    return this.#set(user, hostId, false);
  }

  async #set(user: PublicUser, hostId: string, following: boolean): Promise<FollowDto> {
    this.#assertShop(hostId);
    if (user.id === hostId) throw new AppError('bad_request', 'You cannot follow your own shop.', { reason: 'own_shop' });
    if (!(await this.#rate.take(user.id))) throw new AppError('rate_limited', 'Too many follows in a short time. Wait a minute and try again.');
    const { changes } = following
      ? this.#db.insert(follows).values({ followerId: user.id, hostId, at: this.#now() }).onConflictDoNothing().run()
      : this.#db.delete(follows).where(and(eq(follows.followerId, user.id), eq(follows.hostId, hostId))).run();
    const dto: FollowDto = { hostId, followers: this.#count(hostId), following };
    if (changes > 0) this.emit('changed', { hostId, follower: { id: user.id, displayName: user.displayName }, following, followers: dto.followers });
    return dto;
  }

  #count(hostId: string): number {
    return this.#db.select({ n: count() }).from(follows).where(eq(follows.hostId, hostId)).get()?.n ?? 0;
  }

  #follows(followerId: string, hostId: string): boolean {
    return this.#db.select({ at: follows.at }).from(follows).where(and(eq(follows.followerId, followerId), eq(follows.hostId, hostId))).get() !== undefined;
  }

  #assertShop(hostId: string): void {
    const host = this.#db.select({ role: users.role }).from(users).where(eq(users.id, hostId)).get();
    if (!host || !canHost(host.role)) throw new AppError('not_found', 'No such shop.', { reason: 'no_shop' });
  }
}
