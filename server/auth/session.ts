/**
 * Sessions as the Lucia guide teaches them: the browser holds `<id>.<secret>`,
 * the database holds only SHA-256(secret), compared in constant time.
 * Expiry slides: 10 days of inactivity, refreshed at most hourly.
 */
import crypto from 'node:crypto';
import { eq, lte, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { TypedEmitter } from '../events.ts';
import type { UserRow } from '../db/schema.ts';
import type { PublicUser } from '#shared/auth.ts';
import { SESSION_IDLE_MS } from './session-cookie.ts';
import { hashSecret, secretMatches } from './secret-hash.ts';

const REFRESH_AFTER_MS = 60 * 60 * 1000;

export interface Session {
  id: string;
  userId: string;
  expiresAt: number;
}

export interface SessionValidation {
  session: Session;
  user: PublicUser;
  /** True when the expiry moved and the cookie should be re-sent. */
  refreshed: boolean;
}

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
/** The form of the tokens `create` hands out. Nothing else is looked up: PostgreSQL refuses some text (a NUL) outright. */
const TOKEN_FORM = /^[a-z0-9]+\.[\w-]+$/;

/** 24 characters from a 32-letter alphabet: 120 bits, readable in logs. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

export function toPublicUser(u: Pick<UserRow, 'id' | 'email' | 'displayName' | 'role'>): PublicUser {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role };
}

export interface SessionEvents extends Record<string, unknown[]> {
  /**
   * Sessions ended (sign-out, expiry) or their user's rights changed: whoever holds
   * an identity from them (open sockets) must drop it and authenticate again.
   */
  revoked: [whose: { sessionId: string } | { userId: string }];
}

export class SessionStore extends TypedEmitter<SessionEvents> {
  readonly #repo: Repo;
  readonly #now: () => number;
  // Every request validates a session: both lookups are prepared once. Two primary-key reads
  // cost SQLite about a third of the join of the same two rows.
  readonly #sessionById;
  readonly #userById;

  constructor(repo: Repo, now: () => number = Date.now) {
    super();
    this.#repo = repo;
    this.#now = now;
    this.#sessionById = repo.prepare((db, t) => db.select().from(t.sessions).where(eq(t.sessions.id, sql.placeholder('id'))));
    this.#userById = repo.prepare((db, { users }) =>
      db.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, sql.placeholder('id')))
    );
  }

  async create(userId: string): Promise<{ token: string; session: Session }> {
    const id = randomId();
    const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const now = this.#now();
    await this.#repo.changes(this.#repo.db.insert(this.#repo.t.sessions).values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastVerifiedAt: now }));
    return { token: `${id}.${secret}`, session: { id, userId, expiresAt: now + SESSION_IDLE_MS } };
  }

  /** The one session check used by HTTP, SvelteKit and the ws upgrade. */
  async validate(token: string | undefined | null): Promise<SessionValidation | null> {
    if (!token || token.length > 200 || !TOKEN_FORM.test(token)) return null;
    const dot = token.indexOf('.');
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    const session = await this.#sessionById.one({ id });
    if (!session) return null;
    if (!secretMatches(secret, session.secretHash)) return null;
    // A session's user is deleted with it (foreign key cascade); a missing one is no session.
    const user = await this.#userById.one({ id: session.userId });
    if (!user) return null;

    const now = this.#now();
    let lastVerifiedAt = session.lastVerifiedAt;
    if (now - lastVerifiedAt >= SESSION_IDLE_MS) {
      await this.invalidate(id);
      return null;
    }
    let refreshed = false;
    if (now - lastVerifiedAt >= REFRESH_AFTER_MS) {
      lastVerifiedAt = now;
      await this.#repo.changes(this.#repo.db.update(this.#repo.t.sessions).set({ lastVerifiedAt }).where(eq(this.#repo.t.sessions.id, id)));
      refreshed = true;
    }
    return {
      session: { id, userId: user.id, expiresAt: lastVerifiedAt + SESSION_IDLE_MS },
      user: toPublicUser(user),
      refreshed
    };
  }

  async invalidate(sessionId: string): Promise<void> {
    const { sessions } = this.#repo.t;
    await this.#repo.changes(this.#repo.db.delete(sessions).where(eq(sessions.id, sessionId)));
    this.emit('revoked', { sessionId });
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    const { sessions } = this.#repo.t;
    await this.#repo.changes(this.#repo.db.delete(sessions).where(eq(sessions.userId, userId)));
    this.emit('revoked', { userId });
  }

  /** The user's role changed: sessions stay, but identities taken from them earlier are stale. */
  rightsChanged(userId: string): void {
    this.emit('revoked', { userId });
  }

  /** Deletes sessions idle past their expiry (validate() only removes the ones presented again); returns how many. */
  sweepExpired(): Promise<number> {
    const { sessions } = this.#repo.t;
    return this.#repo.changes(this.#repo.db.delete(sessions).where(lte(sessions.lastVerifiedAt, this.#now() - SESSION_IDLE_MS)));
  }
}
