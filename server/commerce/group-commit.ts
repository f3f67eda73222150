import type { Db } from '../db/client.ts';

type Pending = { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Group commit: pieces of work queued in the same turn of the event loop run in one SQLite
 * transaction, each in its own savepoint, so one commit (one fsync under synchronous=FULL, which
 * costs milliseconds on disk) covers them all. At a drop's opening a hundred orders would otherwise
 * wait in line behind a hundred fsyncs, and every other request behind them.
 * A piece that throws is rolled back alone and its caller gets the error; the others commit.
 * Every caller is answered only after the commit, so what it was told is as durable as before.
 */
export class GroupCommit {
  readonly #db: Db;
  #queue: Pending[] = [];

  constructor(db: Db) {
    this.#db = db;
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#commit());
    });
  }

  #commit(): void {
    const batch = this.#queue;
    this.#queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.#db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, value: this.#db.transaction(() => p.work()) });
          } catch (error) {
            // Some SQLite errors roll back the whole transaction; then nothing of the batch stands.
            if (!this.#db.$client.inTransaction) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => (outcomes[i]!.ok ? p.resolve(outcomes[i]!.value) : p.reject(outcomes[i]!.value)));
  }
}
