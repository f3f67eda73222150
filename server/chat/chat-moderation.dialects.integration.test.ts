import { expect, it } from 'vitest';
import { Shows } from '../shows/shows.ts';
import { onEachDialect } from '../testing/dialects.ts';
import type { PublicUser } from '#shared/auth.ts';
import { ChatModeration } from './chat-moderation.ts';

let serial = 0;

onEachDialect('chat moderation', (repo) => {
  const person = async (role: PublicUser['role']): Promise<PublicUser> => {
    const id = `${role}-${++serial}`;
    const user = { id, email: `${id}@moderation.test`, displayName: id, role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...user, passwordHash: 'x' }));
    return user;
  };

  it('keeps a banned or blocked buyer out, mutes a timed-out one in chat only, and logs who did what', async () => {
    const shows = new Shows(repo());
    let now = Date.now();
    const moderation = new ChatModeration(repo(), shows, () => now);
    const [host, mod, ann, ben, cat] = [await person('host'), await person('moderator'), await person('buyer'), await person('buyer'), await person('buyer')];
    const show = await shows.create(host, { title: 'Moderated', description: '', scheduledAt: Date.now() });
    const other = await shows.create(host, { title: 'Same shop', description: '', scheduledAt: Date.now() });

    await moderation.ban(mod, show.id, ann.id, 'spam');
    await expect(moderation.assertMayTakePart(show.id, ann.id)).rejects.toMatchObject({ params: { reason: 'banned' } });
    await moderation.assertMayTakePart(other.id, ann.id);

    await moderation.block(host, show.id, ben.id, 'abuse');
    await expect(moderation.assertMayTakePart(other.id, ben.id)).rejects.toMatchObject({ params: { reason: 'blocked' } });

    await moderation.timeout(mod, show.id, cat.id, 60, '');
    await moderation.assertMayTakePart(show.id, cat.id);
    await expect(moderation.assertMayChat(show.id, cat.id)).rejects.toMatchObject({ params: { reason: 'timed_out', seconds: 60 } });
    now += 61_000;
    await moderation.assertMayChat(show.id, cat.id);

    await moderation.unban(mod, show.id, ann.id, 'forgiven');
    await moderation.assertMayTakePart(show.id, ann.id);
    await expect(moderation.ban(ann, show.id, cat.id, '')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(moderation.ban(mod, show.id, host.id, '')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(moderation.assertMayTakePart('no-show', ann.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await moderation.history(mod, show.id)).map((e) => e.action)).toEqual(['unban', 'timeout', 'block', 'ban']);
  });
});
