import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { AppError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A database file, and a second connection that sees only what was committed. */
function twoConnections() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'db.sqlite'));
  db.$client.exec('create table notes (id integer primary key, text text not null unique)');
  const reader = new Database(path.join(dir, 'db.sqlite'), { readonly: true });
  const committed = () => (reader.prepare('select text from notes order by id').pluck().all() as string[]);
  const insert = db.$client.prepare('insert into notes (text) values (?)');
  // Each piece reaches the database through the repository, as the domains do.
  const repo = new SqliteRepo(db);
  const write = async (text: string) => void (await repo.tx(async () => insert.run(text)));
  return { db: repo, committed, write };
}

describe('GroupCommit', () => {
  it('runs the pieces of one turn in one transaction and answers each after it commits', async () => {
    const { db, committed, write } = twoConnections();
    const commits = new GroupCommit(db);
    const seenByOthers: string[][] = [];
    const pieces = ['a', 'b', 'c'].map((t) =>
      commits.run(async () => {
        await write(t);
        seenByOthers.push(committed());
        return t;
      })
    );
    expect(await Promise.all(pieces)).toEqual(['a', 'b', 'c']);
    // Nothing was visible to another connection until the one commit at the end.
    expect(seenByOthers).toEqual([[], [], []]);
    expect(committed()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the piece that throws; its caller gets the error and the others commit', async () => {
    const { db, committed, write } = twoConnections();
    const commits = new GroupCommit(db);
    const a = commits.run(() => write('a'));
    const b = commits.run(async () => {
      await write('b');
      throw new AppError('conflict', 'no b');
    });
    const c = commits.run(() => write('c'));
    await expect(b).rejects.toThrow('no b');
    await Promise.all([a, c]);
    expect(committed()).toEqual(['a', 'c']);
  });

  it('a piece that breaks a constraint fails alone', async () => {
    const { db, committed, write } = twoConnections();
    const commits = new GroupCommit(db);
    const results = await Promise.allSettled(['a', 'a', 'b'].map((t) => commits.run(() => write(t))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['a', 'b']);
  });

  it('pieces queued after a commit go in the next group', async () => {
    const { db, committed, write } = twoConnections();
    const commits = new GroupCommit(db);
    await commits.run(() => write('first'));
    expect(committed()).toEqual(['first']);
    await commits.run(() => write('second'));
    expect(committed()).toEqual(['first', 'second']);
  });
});
