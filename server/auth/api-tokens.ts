import { and, asc, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { canHost, type PublicUser } from '#shared/auth.ts';
import { createApiTokenSchema, TOKEN_SCOPES, type ApiTokenDto, type CreatedApiTokenDto, type TokenScope } from '#shared/api-tokens.ts';
import type { z } from 'zod';
import type { Repo } from '../db/repo.ts';
import { AppError } from '../errors.ts';
import { addressBucket } from '../limits/rate-limit.ts';
import { LimitStore, type SharedLimit } from '../limits/shared-limits.ts';
import { logger } from '../log.ts';
import { formatToken, newTokenId, newTokenSecret, parseToken } from './api-token-format.ts';
import { hashSecret, secretMatches } from './secret-hash.ts';
import { toPublicUser } from './session.ts';

const log = logger('api-tokens');

/** A token's last use is written at most this often: not a write on every request. */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiTokenLimits {
  /** Live (unrevoked) tokens one account may hold. */
  maxLivePerAccount: number;
  /** Tokens one account may create per hour; an address may create three times as many (several hosts behind one NAT). */
  creationsPerHour: number;
}

/** Who a valid token acts as, and what it may do on top of that account's rights. */
export interface TokenAuth {
  tokenId: string;
  scopes: TokenScope[];
  user: PublicUser;
}

/**
 * Hosts' personal API tokens. Only SHA-256 of the secret is kept; a token is checked against the
 * database on every request, so a revocation holds at once on every node, with nothing cached to tell.
 */
export class ApiTokens {
  readonly #repo: Repo;
  readonly #limits: ApiTokenLimits;
  readonly #now: () => number;
  readonly #byAccount: SharedLimit;
  readonly #byAddress: SharedLimit;
  // Every bearer request looks up a token and its user: both prepared once, as sessions are.
  readonly #tokenById;
  readonly #userById;

  constructor(repo: Repo, limits: ApiTokenLimits, store = new LimitStore(), now: () => number = Date.now) {
    this.#repo = repo;
    this.#limits = limits;
    this.#now = now;
    this.#byAccount = store.limit({ name: 'api-tokens-account', limit: limits.creationsPerHour, windowSeconds: 60 * 60 });
    this.#byAddress = store.limit({ name: 'api-tokens-address', limit: limits.creationsPerHour * 3, windowSeconds: 60 * 60 });
    this.#tokenById = repo.prepare((db, { apiTokens }) => db.select().from(apiTokens).where(eq(apiTokens.id, sql.placeholder('id'))));
    this.#userById = repo.prepare((db, { users }) =>
      db.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, sql.placeholder('id')))
    );
  }

  /** A new token for a host; the reply is the only place its secret ever appears. */
  async create(actor: PublicUser, input: z.output<typeof createApiTokenSchema>, address: string): Promise<CreatedApiTokenDto> {
    if (!canHost(actor.role)) throw new AppError('forbidden', 'Only hosts can create API tokens.', { reason: 'hosts_only' });
    if (!(await this.#byAccount.take(actor.id)) || !(await this.#byAddress.take(addressBucket(address)))) {
      throw new AppError('rate_limited', 'Too many API tokens created. Try again later.');
    }
    const id = newTokenId();
    const secret = newTokenSecret();
    const row = { id, userId: actor.id, name: input.name, scopes: input.scopes, secretHash: hashSecret(secret), createdAt: this.#now() };
    await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      // PostgreSQL runs two creations side by side: the account's row serialises them, so both cannot pass the count.
      await this.#repo.all(this.#repo.forUpdate(db.select({ id: t.users.id }).from(t.users).where(eq(t.users.id, actor.id)), 'no key update'));
      const live = (await this.#repo.one(db.select({ n: count() }).from(t.apiTokens).where(and(eq(t.apiTokens.userId, actor.id), isNull(t.apiTokens.revokedAt)))))!.n;
      const limit = this.#limits.maxLivePerAccount;
      if (live >= limit) throw new AppError('conflict', `You already have ${limit} API tokens. Revoke one first.`, { reason: 'token_limit', limit });
      await this.#repo.changes(db.insert(t.apiTokens).values(row));
    });
    log.info({ user: actor.id, token: id, scopes: input.scopes }, 'API token created');
    return { apiToken: toDto({ ...row, lastUsedAt: null }), token: formatToken(id, secret) };
  }

  /** The account's live tokens, oldest first. */
  async list(userId: string): Promise<ApiTokenDto[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      db.select().from(t.apiTokens).where(and(eq(t.apiTokens.userId, userId), isNull(t.apiTokens.revokedAt))).orderBy(asc(t.apiTokens.createdAt), asc(t.apiTokens.id))
    );
    return rows.map(toDto);
  }

  /** Revokes one of the account's own tokens; another's, or one already revoked, is not found. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const { db, t } = this.#repo;
    const changed = await this.#repo.changes(
      db.update(t.apiTokens).set({ revokedAt: this.#now() }).where(and(eq(t.apiTokens.id, tokenId), eq(t.apiTokens.userId, userId), isNull(t.apiTokens.revokedAt)))
    );
    if (!changed) throw new AppError('not_found', 'No such API token.');
    log.info({ user: userId, token: tokenId }, 'API token revoked');
  }

  /** The account and scopes a presented token stands for, or null when it is malformed, unknown, wrong or revoked. */
  async verify(token: string): Promise<TokenAuth | null> {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const row = await this.#tokenById.one({ id: parsed.id });
    if (!row || row.revokedAt !== null || !secretMatches(parsed.secret, row.secretHash)) return null;
    const user = await this.#userById.one({ id: row.userId });
    if (!user) return null;
    const now = this.#now();
    if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_EVERY_MS) await this.#touch(row.id, now);
    return { tokenId: row.id, scopes: scopesOf(row.scopes), user: toPublicUser(user) };
  }

  /** Records a use; of simultaneous requests (on any node) only the first in a minute writes. */
  async #touch(id: string, now: number): Promise<void> {
    const { db, t } = this.#repo;
    const stale = or(isNull(t.apiTokens.lastUsedAt), lte(t.apiTokens.lastUsedAt, now - LAST_USED_EVERY_MS));
    await this.#repo.changes(db.update(t.apiTokens).set({ lastUsedAt: now }).where(and(eq(t.apiTokens.id, id), stale)));
  }
}

/** Scopes as stored (a JSON column), keeping only ones this version knows. */
function scopesOf(stored: unknown): TokenScope[] {
  return Array.isArray(stored) ? TOKEN_SCOPES.filter((s) => stored.includes(s)) : [];
}

function toDto(row: { id: string; name: string; scopes: unknown; createdAt: number; lastUsedAt: number | null }): ApiTokenDto {
  return { id: row.id, name: row.name, scopes: scopesOf(row.scopes), createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}
