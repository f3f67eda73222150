import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { PublicUser } from '#shared/auth.ts';
import { MAX_OPEN_SHOWS, Shows } from './shows.ts';

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

  it('keeps a host to MAX_OPEN_SHOWS scheduled or live, by creating or duplicating; an ended one frees a place', () => {
    const at = Date.now() + 3_600_000;
    const made = Array.from({ length: MAX_OPEN_SHOWS }, (_, i) => shows.create(host, { title: `Show ${i}`, description: '', scheduledAt: at }));
    const full = expect.objectContaining({ code: 'conflict', params: { reason: 'show_limit', limit: MAX_OPEN_SHOWS } });
    expect(() => shows.create(host, { title: 'One more', description: '', scheduledAt: at })).toThrow(full);
    expect(() => shows.duplicate(host, made[0]!.id, {})).toThrow(full);
    // Another host's count is their own.
    expect(shows.create(other, { title: 'Theirs', description: '', scheduledAt: at }).title).toBe('Theirs');
    shows.goLive(host, made[1]!.id);
    shows.end(host, made[1]!.id);
    expect(shows.duplicate(host, made[0]!.id, {}).title).toBe('Show 0 (copy)');
    expect(shows.list('scheduled').filter((s) => s.host.id === host.id)).toHaveLength(MAX_OPEN_SHOWS);
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
