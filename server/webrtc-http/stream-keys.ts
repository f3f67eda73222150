import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { hashSecret, secretMatches } from '../auth/secret-hash.ts';
import type { CreatedStreamKeyDto, StreamKeyDto } from '#shared/stream-keys.ts';

export interface StreamKeysEvents extends Record<string, unknown[]> {
  /** A show's key was replaced: sessions opened with the old one end. */
  replaced: [showId: string];
}

/**
 * Each show's WHIP stream key. A key is 256 random bits, so a plain SHA-256 of it is as strong as a slow
 * password hash and lets a lookup find it; only the hash is stored. Callers check who may read or replace it.
 */
export class StreamKeys extends TypedEmitter<StreamKeysEvents> {
  readonly #repo: Repo;

  constructor(repo: Repo) {
    super();
    this.#repo = repo;
  }

  /** When the show's key was made (null without one); `streaming` is the caller's word on its sessions. */
  async describe(showId: string, streaming: boolean): Promise<StreamKeyDto> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select({ createdAt: t.streamKeys.createdAt }).from(t.streamKeys).where(eq(t.streamKeys.showId, showId)));
    return { createdAt: row?.createdAt ?? null, streaming };
  }

  /** Makes the show's key, replacing any it had; the key is returned here once and never again. */
  async replace(showId: string): Promise<CreatedStreamKeyDto> {
    const key = randomBytes(32).toString('base64url');
    const createdAt = Date.now();
    const { db, t } = this.#repo;
    const secretHash = hashSecret(key);
    await this.#repo.changes(
      db.insert(t.streamKeys).values({ showId, secretHash, createdAt }).onConflictDoUpdate({ target: t.streamKeys.showId, set: { secretHash, createdAt } })
    );
    this.emit('replaced', showId);
    return { key, createdAt };
  }

  /** Throws unless `key` is the show's: 401 for a key of no show, 403 for another show's. */
  async verify(showId: string, key: string): Promise<void> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select({ secretHash: t.streamKeys.secretHash }).from(t.streamKeys).where(eq(t.streamKeys.showId, showId)));
    if (row && secretMatches(key, row.secretHash)) return;
    const other = await this.#repo.one(db.select({ showId: t.streamKeys.showId }).from(t.streamKeys).where(eq(t.streamKeys.secretHash, hashSecret(key))));
    if (other) throw new AppError('forbidden', 'This stream key belongs to another show.');
    throw new AppError('unauthenticated', 'The stream key is not valid; copy it again from the studio.');
  }
}
