import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-db-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** SQLite's numbers for PRAGMA synchronous: 1 = NORMAL, 2 = FULL. */
const synchronous = (file: string, opts?: Parameters<typeof openDatabase>[1]) => {
  const db = openDatabase(path.join(dir, file), opts);
  try {
    return [db.$client.pragma('journal_mode', { simple: true }), db.$client.pragma('synchronous', { simple: true })];
  } finally {
    db.$client.close();
  }
};

describe('database durability', () => {
  it('syncs every commit to disk in WAL mode unless told otherwise, so a power cut loses no acknowledged bid or payment', () => {
    expect(synchronous('default.db')).toEqual(['wal', 2]);
  });

  it('lets an operator trade that for speed explicitly', () => {
    expect(synchronous('normal.db', { synchronous: 'normal' })).toEqual(['wal', 1]);
  });
});
