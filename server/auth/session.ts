/**
 * Sessions as the Lucia guide teaches them: the browser holds `<id>.<secret>`,
 * the database holds only SHA-256(secret), compared in constant time.
 * Expiry slides: 10 days of inactivity, refreshed at most hourly.
 */
import crypto from 'node:crypto';
import { eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { TypedEmitter } from '../events.ts';
import { sessions, users, type UserRow } from '../db/schema.ts';
import type { PublicUser } from '#shared/auth.ts';
import { SESSION_IDLE_MS } from './session-cookie.ts';

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

/** 24 characters from a 32-letter alphabet: 120 bits, readable in logs. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

function hashSecret(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
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
  readonly #db: Db;
  readonly #now: () => number;
  // Every request validates a session: both lookups are prepared once. Two primary-key reads
  // cost SQLite about a third of the join of the same two rows.
  readonly #sessionById;
  readonly #userById;

  constructor(db: Db, now: () => number = Date.now) {
    super();
    this.#db = db;
    this.#now = now;
    this.#sessionById = db.select().from(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare();
    this.#userById = db.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
  }

  create(userId: string): { token: string; session: Session } {
    const id = randomId();
    const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const now = this.#now();
    this.#db.insert(sessions).values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastVerifiedAt: now }).run();
    return { token: `${id}.${secret}`, session: { id, userId, expiresAt: now + SESSION_IDLE_MS } };
  }

  /** The one session check used by HTTP, SvelteKit and the ws upgrade. */
  validate(token: string | undefined | null): SessionValidation | null {
    if (!token || token.length > 200) return null;
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    const session = this.#sessionById.get({ id });
    if (!session) return null;
    const expected = session.secretHash;
    const actual = hashSecret(secret);
    if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return null;
    // A session's user is deleted with it (foreign key cascade); a missing one is no session.
    const user = this.#userById.get({ id: session.userId });
    if (!user) return null;

    const now = this.#now();
    let lastVerifiedAt = session.lastVerifiedAt;
    if (now - lastVerifiedAt >= SESSION_IDLE_MS) {
      this.invalidate(id);
      return null;
    }
    let refreshed = false;
    if (now - lastVerifiedAt >= REFRESH_AFTER_MS) {
      lastVerifiedAt = now;
      this.#db.update(sessions).set({ lastVerifiedAt }).where(eq(sessions.id, id)).run();
      refreshed = true;
    }
    return {
      session: { id, userId: user.id, expiresAt: lastVerifiedAt + SESSION_IDLE_MS },
      user: toPublicUser(user),
      refreshed
    };
  }

  invalidate(sessionId: string): void {
    this.#db.delete(sessions).where(eq(sessions.id, sessionId)).run();
    this.emit('revoked', { sessionId });
  }

  invalidateAllForUser(userId: string): void {
    this.#db.delete(sessions).where(eq(sessions.userId, userId)).run();
    this.emit('revoked', { userId });
  }

  /** The user's role changed: sessions stay, but identities taken from them earlier are stale. */
  rightsChanged(userId: string): void {
    this.emit('revoked', { userId });
  }

  /** Deletes sessions idle past their expiry (validate() only removes the ones presented again); returns how many. */
  sweepExpired(): number {
    return this.#db.delete(sessions).where(lte(sessions.lastVerifiedAt, this.#now() - SESSION_IDLE_MS)).run().changes;
  }
}
