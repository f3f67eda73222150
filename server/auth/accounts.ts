import { count, eq } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { AppError, brokenConstraint } from '../errors.ts';
import { newId } from '../ids.ts';
import type { PublicUser, SignInInput, SignUpInput, UserRole } from '#shared/auth.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { addressBucket } from '../limits/rate-limit.ts';
import { LimitStore, type SharedLimit } from '../limits/shared-limits.ts';
import { toPublicUser } from './session.ts';

const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins to one account (from anywhere) before each further attempt is slowed down. */
const FREE_FAILURES = 5;

/** How long a sign-in to an account under attack waits: longer with each failure, never a lock-out. */
function signInDelayMs(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : Math.min(2_000, 250 * (failures - FREE_FAILURES));
}

/**
 * Sign-up, sign-in and roles. Sign-up is limited per address (each costs an argon2 hash).
 * Sign-in is limited per address and per account+address, so a stranger elsewhere cannot
 * lock the owner out; failures against one account from anywhere only slow it down.
 */
export class Accounts {
  readonly #repo: Repo;
  readonly #signUpsByAddress: SharedLimit;
  readonly #signInsByAddress: SharedLimit;
  readonly #signInsByAccountAndAddress: SharedLimit;
  readonly #failuresByAccount: SharedLimit;

  /** `signInsPerAddress` counts every attempt from one address (IPv6: /64) in 15 minutes. */
  constructor(repo: Repo, limits: { signUpsPerAddressPerHour: number; signInsPerAddress?: number } = { signUpsPerAddressPerHour: 20 }, store = new LimitStore()) {
    this.#repo = repo;
    const windowSeconds = SIGN_IN_WINDOW_MS / 1000;
    this.#signUpsByAddress = store.limit({ name: 'sign-ups', limit: limits.signUpsPerAddressPerHour, windowSeconds: 60 * 60 });
    this.#signInsByAddress = store.limit({ name: 'sign-ins', limit: limits.signInsPerAddress ?? 30, windowSeconds });
    this.#signInsByAccountAndAddress = store.limit({ name: 'sign-ins-account', limit: 10, windowSeconds });
    this.#failuresByAccount = store.limit({ name: 'sign-in-failures', limit: Infinity, windowSeconds });
  }

  /** A visitor's sign-up from `address`, within that address's hourly allowance. */
  async signUpFrom(address: string, input: SignUpInput): Promise<PublicUser> {
    if (!(await this.#signUpsByAddress.take(addressBucket(address)))) {
      throw new AppError('rate_limited', 'Too many sign-ups from your network. Try again later.');
    }
    return this.signUp(input);
  }

  async signUp(input: SignUpInput, role: UserRole = 'buyer'): Promise<PublicUser> {
    const taken = () => new AppError('conflict', 'An account with this email already exists.', { reason: 'email_taken', field: 'email' });
    if (await this.findByEmail(input.email)) throw taken();
    const row = {
      id: newId(),
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role
    };
    try {
      await this.#repo.changes(this.#repo.db.insert(this.#repo.t.users).values(row));
    } catch (err) {
      // Another sign-up with this email got in while this one was hashing.
      if (brokenConstraint(err) === 'unique') throw taken();
      throw err;
    }
    return toPublicUser(row);
  }

  async signIn(input: SignInInput, address: string): Promise<PublicUser> {
    const bucket = addressBucket(address);
    const accountAtAddress = `${input.email}\n${bucket}`;
    if (!(await this.#signInsByAddress.take(bucket)) || !(await this.#signInsByAccountAndAddress.take(accountAtAddress))) {
      throw new AppError('rate_limited', 'Too many sign-in attempts. Wait a few minutes and try again.');
    }
    const delay = signInDelayMs(await this.#failuresByAccount.count(input.email));
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.users).where(eq(t.users.email, input.email)));
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!row || !ok) {
      await this.#failuresByAccount.take(input.email);
      throw new AppError('unauthenticated', 'Wrong email or password.', { reason: 'wrong_credentials' });
    }
    await this.#signInsByAccountAndAddress.reset(accountAtAddress);
    return toPublicUser(row);
  }

  async setRole(userId: string, role: UserRole): Promise<PublicUser> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.update(t.users).set({ role }).where(eq(t.users.id, userId)).returning());
    if (!row) throw new AppError('not_found', 'No such user.');
    return toPublicUser(row);
  }

  async findByEmail(email: string): Promise<PublicUser | null> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.users).where(eq(t.users.email, email)));
    return row ? toPublicUser(row) : null;
  }

  async byId(id: string): Promise<PublicUser | null> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.users).where(eq(t.users.id, id)));
    return row ? toPublicUser(row) : null;
  }

  async count(): Promise<number> {
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ n: count() }).from(t.users)))?.n ?? 0;
  }
}
