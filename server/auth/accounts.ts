import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { PublicUser, SignInInput, SignUpInput, UserRole } from '#shared/auth.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { RateLimiter } from './rate-limit.ts';
import { toPublicUser } from './session.ts';

/** Sign-up, sign-in and roles. Sign-in is limited per account and per address. */
export class Accounts {
  readonly #db: Db;
  readonly #byAccount = new RateLimiter({ limit: 10, windowMs: 15 * 60_000 });
  readonly #byAddress = new RateLimiter({ limit: 30, windowMs: 15 * 60_000 });

  constructor(db: Db) {
    this.#db = db;
  }

  async signUp(input: SignUpInput, role: UserRole = 'buyer'): Promise<PublicUser> {
    const existing = this.#db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
    if (existing) throw new AppError('conflict', 'An account with this email already exists.');
    const row = {
      id: newId(),
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role
    };
    this.#db.insert(users).values(row).run();
    return toPublicUser(row);
  }

  async signIn(input: SignInInput, address: string): Promise<PublicUser> {
    if (!this.#byAddress.hit(address) || !this.#byAccount.hit(input.email)) {
      throw new AppError('rate_limited', 'Too many sign-in attempts. Wait a few minutes and try again.');
    }
    const row = this.#db.select().from(users).where(eq(users.email, input.email)).get();
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!row || !ok) throw new AppError('unauthenticated', 'Wrong email or password.');
    this.#byAccount.reset(input.email);
    return toPublicUser(row);
  }

  setRole(userId: string, role: UserRole): PublicUser {
    const row = this.#db.update(users).set({ role }).where(eq(users.id, userId)).returning().get();
    if (!row) throw new AppError('not_found', 'No such user.');
    return toPublicUser(row);
  }

  findByEmail(email: string): PublicUser | null {
    const row = this.#db.select().from(users).where(eq(users.email, email)).get();
    return row ? toPublicUser(row) : null;
  }

  count(): number {
    return this.#db.select({ n: count() }).from(users).get()?.n ?? 0;
  }
}
