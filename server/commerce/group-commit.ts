import type { Repo } from '../db/repo.ts';
import { AppError, brokenConstraint } from '../errors.ts';

type Pending = { work: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Group commit on SQLite: pieces of work queued in the same turn of the event loop run in one
 * transaction, each in its own savepoint, so one commit (one fsync under synchronous=FULL, which
 * costs milliseconds on disk) covers them all. At a drop's opening a hundred orders would otherwise
 * wait in line behind a hundred fsyncs, and every other request behind them.
 * A piece the domain or a constraint refuses is rolled back alone and its caller gets the error; the others commit.
 * Every caller is answered only after the commit, so what it was told is as durable as before.
 * PostgreSQL commits concurrent transactions on their own connections and groups their WAL flushes
 * itself: there each piece is simply its own transaction.
 */
export class GroupCommit {
  readonly #repo: Repo;
  #queue: Pending[] = [];

  constructor(repo: Repo) {
    this.#repo = repo;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#repo.dialect === 'pg') return this.#repo.tx(work);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => void this.#commit());
    });
  }

  async #commit(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.#repo.tx(async () => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: await this.#repo.tx(p.work) });
          } catch (error) {
            // A refusal (the domain's, or a constraint's) rolled back its savepoint alone. Anything else (the disk,
            // a broken connection) may have ended the whole transaction: then the batch fails as one.
            if (!(error instanceof AppError) && brokenConstraint(error) === null) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch stands.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => (outcomes[i]!.ok ? p.resolve(outcomes[i]!.value) : p.reject(outcomes[i]!.value)));
  }
}
