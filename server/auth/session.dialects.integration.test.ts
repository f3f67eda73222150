import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { SessionStore } from './session.ts';
import { readCookie, SESSION_IDLE_MS } from './session-cookie.ts';

let serial = 0;

onEachDialect('sessions', (repo) => {
  let now: number;
  let store: SessionStore;
  let user: string;

  beforeEach(async () => {
    user = `u${++serial}`;
    await repo().changes(repo().db.insert(repo().t.users).values({ id: user, email: `${user}@b.c`, displayName: 'A', passwordHash: 'x', role: 'host' }));
    now = 1_000_000;
    store = new SessionStore(repo(), () => now);
  });
  const rowsOf = () => repo().all(repo().db.select().from(repo().t.sessions).where(eq(repo().t.sessions.userId, user)));

  it('stores only a hash of the secret and validates the token it handed out', async () => {
    const { token } = await store.create(user);
    const [id, secret] = token.split('.');
    const [row] = await rowsOf();
    expect(row!.id).toBe(id);
    expect(Buffer.isBuffer(row!.secretHash)).toBe(true);
    expect(row!.secretHash.toString('base64url')).not.toContain(secret);
    expect((await store.validate(token))?.user).toEqual({ id: user, email: `${user}@b.c`, displayName: 'A', role: 'host' });
  });

  it('rejects a forged secret, a malformed token and an unknown id', async () => {
    const { token } = await store.create(user);
    const [id] = token.split('.');
    expect(await store.validate(`${id}.not-the-secret`)).toBeNull();
    expect(await store.validate('garbage')).toBeNull();
    expect(await store.validate(`${id}\u0000.secret`)).toBeNull();
    expect(await store.validate('nosuchid.secret')).toBeNull();
    expect(await store.validate(undefined)).toBeNull();
  });

  it('slides the expiry, refreshing at most hourly, and expires after 10 idle days', async () => {
    const { token } = await store.create(user);
    now += 30 * 60_000;
    expect((await store.validate(token))?.refreshed).toBe(false);
    now += 31 * 60_000;
    const refreshed = (await store.validate(token))!;
    expect(refreshed.refreshed).toBe(true);
    expect(refreshed.session.expiresAt).toBe(now + SESSION_IDLE_MS);
    now += SESSION_IDLE_MS - 1;
    expect(await store.validate(token)).not.toBeNull();
    now += SESSION_IDLE_MS;
    expect(await store.validate(token)).toBeNull();
    expect(await rowsOf()).toHaveLength(0);
  });

  it('invalidates one session or all of a user', async () => {
    const a = await store.create(user);
    const b = await store.create(user);
    await store.invalidate(a.session.id);
    expect(await store.validate(a.token)).toBeNull();
    expect(await store.validate(b.token)).not.toBeNull();
    await store.invalidateAllForUser(user);
    expect(await store.validate(b.token)).toBeNull();
  });

  it('reads the cookie from a raw header', () => {
    expect(readCookie('a=1; hawker_session=abc.def; b=2', 'hawker_session')).toBe('abc.def');
    expect(readCookie(undefined, 'hawker_session')).toBeNull();
  });
});
