import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/client.ts';
import { users, sessions } from '../db/schema.ts';
import { SessionStore } from './session.ts';
import { readCookie, SESSION_IDLE_MS } from './session-cookie.ts';

describe('sessions', () => {
  let db: Db;
  let now: number;
  let store: SessionStore;

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.insert(users).values({ id: 'u1', email: 'a@b.c', displayName: 'A', passwordHash: 'x', role: 'host' }).run();
    now = 1_000_000;
    store = new SessionStore(db, () => now);
  });

  it('stores only a hash of the secret and validates the token it handed out', () => {
    const { token } = store.create('u1');
    const [id, secret] = token.split('.');
    const row = db.select().from(sessions).get()!;
    expect(row.id).toBe(id);
    expect(row.secretHash.toString('base64url')).not.toContain(secret);
    expect(store.validate(token)?.user).toEqual({ id: 'u1', email: 'a@b.c', displayName: 'A', role: 'host' });
  });

  it('rejects a forged secret, a malformed token and an unknown id', () => {
    const { token } = store.create('u1');
    const [id] = token.split('.');
    expect(store.validate(`${id}.not-the-secret`)).toBeNull();
    expect(store.validate('garbage')).toBeNull();
    expect(store.validate('nosuchid.secret')).toBeNull();
    expect(store.validate(undefined)).toBeNull();
  });

  it('slides the expiry, refreshing at most hourly, and expires after 10 idle days', () => {
    const { token } = store.create('u1');
    now += 30 * 60_000;
    expect(store.validate(token)?.refreshed).toBe(false);
    now += 31 * 60_000;
    const refreshed = store.validate(token)!;
    expect(refreshed.refreshed).toBe(true);
    expect(refreshed.session.expiresAt).toBe(now + SESSION_IDLE_MS);
    now += SESSION_IDLE_MS - 1;
    expect(store.validate(token)).not.toBeNull();
    now += SESSION_IDLE_MS;
    expect(store.validate(token)).toBeNull();
    expect(db.select().from(sessions).all()).toHaveLength(0);
  });

  it('invalidates one session or all of a user', () => {
    const a = store.create('u1');
    const b = store.create('u1');
    store.invalidate(a.session.id);
    expect(store.validate(a.token)).toBeNull();
    expect(store.validate(b.token)).not.toBeNull();
    store.invalidateAllForUser('u1');
    expect(store.validate(b.token)).toBeNull();
  });

  it('reads the cookie from a raw header', () => {
    expect(readCookie('a=1; hawker_session=abc.def; b=2', 'hawker_session')).toBe('abc.def');
    expect(readCookie(undefined, 'hawker_session')).toBeNull();
  });
});
