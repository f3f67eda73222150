import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { PublicUser } from '#shared/auth.ts';
import { Shows } from './shows.ts';

const host: PublicUser = { id: 'h1', email: 'h@x.y', displayName: 'Host', role: 'host' };
const other: PublicUser = { id: 'h2', email: 'o@x.y', displayName: 'Other', role: 'host' };
const buyer: PublicUser = { id: 'b1', email: 'b@x.y', displayName: 'Buyer', role: 'buyer' };

describe('shows', () => {
  let shows: Shows;
  beforeEach(() => {
    const db = openDatabase(':memory:');
    for (const u of [host, other, buyer]) db.insert(users).values({ ...u, passwordHash: 'x' }).run();
    shows = new Shows(db);
  });

  it('runs scheduled → live → ended, emitting each change', () => {
    const seen: string[] = [];
    shows.on('statusChanged', (_id, s) => seen.push(s));
    const s = shows.create(host, { title: 'Denim', description: '', scheduledAt: Date.now() });
    expect(shows.list('scheduled').map((x) => x.id)).toEqual([s.id]);
    expect(shows.goLive(host, s.id).startedAt).not.toBeNull();
    expect(shows.list('live').map((x) => x.id)).toEqual([s.id]);
    expect(shows.end(host, s.id).status).toBe('ended');
    expect(seen).toEqual(['live', 'ended']);
    expect(() => shows.goLive(host, s.id)).toThrow(/cannot become live/);
    expect(() => shows.update(host, s.id, { title: 'again' })).toThrow(/no longer be edited/);
  });

  it('refuses buyers creating shows and hosts touching other hosts’ shows', () => {
    expect(() => shows.create(buyer, { title: 'x', description: '', scheduledAt: 1 })).toThrow(/Only hosts/);
    const s = shows.create(host, { title: 'Mine', description: '', scheduledAt: Date.now() });
    expect(() => shows.goLive(other, s.id)).toThrow(/another host/);
    expect(() => shows.update(other, s.id, { title: 'hijack' })).toThrow(/another host/);
    expect(shows.get(s.id).title).toBe('Mine');
    expect(() => shows.get('nope')).toThrow(/No such show/);
  });

  it('refuses a start time in the past, when creating and when moving it, and keeps a started show editable', () => {
    const hourAgo = Date.now() - 3_600_000;
    expect(() => shows.create(host, { title: 'Late', description: '', scheduledAt: hourAgo })).toThrow(/in the past/);
    expect(shows.list('scheduled')).toEqual([]);
    const s = shows.create(host, { title: 'Soon', description: '', scheduledAt: Date.now() + 60_000 });
    expect(() => shows.update(host, s.id, { scheduledAt: hourAgo })).toThrow(/in the past/);
    expect(shows.get(s.id).scheduledAt).toBe(s.scheduledAt);
    expect(shows.update(host, s.id, { title: 'Soon, renamed', scheduledAt: s.scheduledAt }).title).toBe('Soon, renamed');
  });
});
