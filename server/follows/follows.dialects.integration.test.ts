import { expect, it } from 'vitest';
import { LimitStore } from '../limits/shared-limits.ts';
import { onEachDialect } from '../testing/dialects.ts';
import type { PublicUser } from '#shared/auth.ts';
import { Follows, type FollowChange } from './follows.ts';

onEachDialect('following a shop', (repo) => {
  const person = async (id: string, role: PublicUser['role']): Promise<PublicUser> => {
    const user = { id, email: `${id}@follows.test`, displayName: id, role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...user, passwordHash: 'x' }));
    return user;
  };

  it('counts each follower once, tells each change once, and refuses one’s own shop and a non-shop', async () => {
    const follows = new Follows(repo(), new LimitStore());
    const changes: FollowChange[] = [];
    follows.on('changed', (c) => changes.push(c));
    const [shop, ann, ben] = [await person('shop', 'host'), await person('ann', 'buyer'), await person('ben', 'buyer')];
    expect(await follows.state(ann, shop.id)).toEqual({ hostId: shop.id, followers: 0, following: false });
    expect(await follows.follow(ann, shop.id)).toEqual({ hostId: shop.id, followers: 1, following: true });
    expect(await follows.follow(ann, shop.id)).toEqual({ hostId: shop.id, followers: 1, following: true });
    expect(await follows.follow(ben, shop.id)).toMatchObject({ followers: 2 });
    expect(await follows.unfollow(ann, shop.id)).toEqual({ hostId: shop.id, followers: 1, following: false });
    expect(await follows.state(null, shop.id)).toEqual({ hostId: shop.id, followers: 1, following: false });
    expect(changes.map((c) => [c.follower.id, c.following, c.followers])).toEqual([['ann', true, 1], ['ben', true, 2], ['ann', false, 1]]);
    await expect(follows.follow(shop, shop.id)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(follows.follow(ann, ben.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
