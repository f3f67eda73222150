import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { ShowDto } from '#shared/shows.ts';
import { MAX_OPEN_SHOWS, Shows } from './shows.ts';

let serial = 0;

onEachDialect('shows', (repo) => {
  let shows: Shows;
  let host: PublicUser;
  let other: PublicUser;
  let buyer: PublicUser;
  const person = async (role: PublicUser['role']): Promise<PublicUser> => {
    const id = `${role}-${++serial}`;
    const user = { id, email: `${id}@shows.test`, displayName: id, role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...user, passwordHash: 'x' }));
    return user;
  };
  const hostsOwn = (list: ShowDto[]) => list.filter((s) => s.host.id === host.id);

  beforeEach(async () => {
    [host, other, buyer] = [await person('host'), await person('host'), await person('buyer')];
    shows = new Shows(repo());
  });

  it('runs scheduled → live → ended, emitting each change', async () => {
    const seen: string[] = [];
    shows.on('statusChanged', (_id, s) => seen.push(s));
    const s = await shows.create(host, { title: 'Denim', description: '', scheduledAt: Date.now() });
    expect(hostsOwn(await shows.list('scheduled')).map((x) => x.id)).toEqual([s.id]);
    expect((await shows.goLive(host, s.id)).startedAt).not.toBeNull();
    expect(hostsOwn(await shows.list('live')).map((x) => x.id)).toEqual([s.id]);
    expect((await shows.end(host, s.id)).status).toBe('ended');
    expect(seen).toEqual(['live', 'ended']);
    await expect(shows.goLive(host, s.id)).rejects.toThrow(/cannot become live/);
    await expect(shows.update(host, s.id, { title: 'again' })).rejects.toThrow(/no longer be edited/);
  });

  it('moves a show once when two requests race to move it', async () => {
    const s = await shows.create(host, { title: 'Race', description: '', scheduledAt: Date.now() });
    const results = await Promise.allSettled([shows.goLive(host, s.id), shows.goLive(host, s.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'invalid_state' } });
  });

  it('keeps a host to MAX_OPEN_SHOWS scheduled or live, by creating or duplicating; an ended one frees a place', async () => {
    const at = Date.now() + 3_600_000;
    const made: ShowDto[] = [];
    for (let i = 0; i < MAX_OPEN_SHOWS; i++) made.push(await shows.create(host, { title: `Show ${i}`, description: '', scheduledAt: at }));
    const full = expect.objectContaining({ code: 'conflict', params: { reason: 'show_limit', limit: MAX_OPEN_SHOWS } });
    await expect(shows.create(host, { title: 'One more', description: '', scheduledAt: at })).rejects.toThrow(full);
    await expect(shows.duplicate(host, made[0]!.id, {})).rejects.toThrow(full);
    // Another host's count is their own.
    expect((await shows.create(other, { title: 'Theirs', description: '', scheduledAt: at })).title).toBe('Theirs');
    await shows.goLive(host, made[1]!.id);
    await shows.end(host, made[1]!.id);
    expect((await shows.duplicate(host, made[0]!.id, {})).title).toBe('Show 0 (copy)');
    expect(hostsOwn(await shows.list('scheduled'))).toHaveLength(MAX_OPEN_SHOWS);
  });

  it('copies a show with its lineup, deletes one without orders and archives one with them, never a live one', async () => {
    const { db, t } = repo();
    await repo().changes(db.insert(t.products).values({ id: `p-${serial}`, ownerId: host.id, title: 'Mug', currency: 'USD', price: 900 }));
    const original = await shows.create(host, { title: 'Ceramics', description: 'Mugs', scheduledAt: Date.now() });
    await repo().changes(db.insert(t.lineup).values({ showId: original.id, productId: `p-${serial}`, position: 0 }));
    const copy = await shows.duplicate(host, original.id, {});
    expect(copy).toMatchObject({ title: 'Ceramics (copy)', description: 'Mugs', status: 'scheduled' });
    expect(await repo().all(db.select({ productId: t.lineup.productId, position: t.lineup.position }).from(t.lineup).where(eq(t.lineup.showId, copy.id)))).toEqual([{ productId: `p-${serial}`, position: 0 }]);
    expect(await shows.remove(host, copy.id)).toBe('deleted');
    await expect(shows.get(copy.id)).rejects.toMatchObject({ code: 'not_found' });

    await repo().changes(db.insert(t.orders).values({ id: `o-${serial}`, buyerId: buyer.id, showId: original.id, status: 'paid', currency: 'USD', total: 900, title: 'Mug' }));
    expect(await shows.remove(host, original.id)).toBe('archived');
    expect((await shows.get(original.id)).id).toBe(original.id);
    expect(hostsOwn(await shows.list())).toEqual([]);
    const live = await shows.create(host, { title: 'On air', description: '', scheduledAt: Date.now() });
    await shows.goLive(host, live.id);
    await expect(shows.remove(host, live.id)).rejects.toMatchObject({ params: { reason: 'show_live' } });
  });

  it('refuses buyers creating shows and hosts touching other hosts’ shows', async () => {
    await expect(shows.create(buyer, { title: 'x', description: '', scheduledAt: 1 })).rejects.toThrow(/Only hosts/);
    const s = await shows.create(host, { title: 'Mine', description: '', scheduledAt: Date.now() });
    await expect(shows.goLive(other, s.id)).rejects.toThrow(/another host/);
    await expect(shows.update(other, s.id, { title: 'hijack' })).rejects.toThrow(/another host/);
    expect((await shows.get(s.id)).title).toBe('Mine');
    await expect(shows.get('nope')).rejects.toThrow(/No such show/);
  });

  it('refuses a start time in the past, when creating and when moving it, and keeps a started show editable', async () => {
    const hourAgo = Date.now() - 3_600_000;
    await expect(shows.create(host, { title: 'Late', description: '', scheduledAt: hourAgo })).rejects.toThrow(/in the past/);
    expect(hostsOwn(await shows.list('scheduled'))).toEqual([]);
    const s = await shows.create(host, { title: 'Soon', description: '', scheduledAt: Date.now() + 60_000 });
    await expect(shows.update(host, s.id, { scheduledAt: hourAgo })).rejects.toThrow(/in the past/);
    expect((await shows.get(s.id)).scheduledAt).toBe(s.scheduledAt);
    expect((await shows.update(host, s.id, { title: 'Soon, renamed', scheduledAt: s.scheduledAt })).title).toBe('Soon, renamed');
  });
});
