import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { describeError } from './error-reply.ts';

/** The error a real SQLite write throws. */
function sqliteError(sql: string): unknown {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0));
    CREATE TABLE bans (user_id TEXT NOT NULL REFERENCES users(id));
    INSERT INTO users VALUES ('u1', 'a@x.test', 1);
  `);
  try {
    db.exec(sql);
  } catch (err) {
    return err;
  } finally {
    db.close();
  }
  throw new Error(`no error from ${sql}`);
}

describe('describeError', () => {
  it('answers broken database constraints with 4xx codes, not internal', () => {
    expect(describeError(sqliteError(`INSERT INTO users VALUES ('u2', 'a@x.test', 1)`))).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(describeError(sqliteError(`INSERT INTO users VALUES ('u1', 'b@x.test', 1)`))).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(describeError(sqliteError(`INSERT INTO bans VALUES ('nobody')`))).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(describeError(sqliteError(`INSERT INTO users VALUES ('u3', 'c@x.test', -1)`))).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(describeError(sqliteError(`INSERT INTO users VALUES ('u4', NULL, 1)`))).toMatchObject({ status: 400, body: { code: 'bad_request' } });
  });

  it('keeps our codes, and tells nothing of an unexpected failure', () => {
    expect(describeError(new AppError('at_capacity', 'Full.'))).toEqual({ status: 503, body: { code: 'at_capacity', message: 'Full.' } });
    expect(describeError(new AppError('conflict', 'Sold out.', { reason: 'sold_out' }))).toEqual({ status: 409, body: { code: 'conflict', message: 'Sold out.', params: { reason: 'sold_out' } } });
    expect(describeError(new AppError('bad_request', 'email: bad', { reason: 'invalid_input', field: 'email' })).body).toMatchObject({ field: 'email' });
    const internal = describeError(new Error('ENOENT: /srv/hawker/data/secret at open (node:fs:1:1)'));
    expect(internal).toEqual({ status: 500, body: { code: 'internal', message: 'Something went wrong on the server.' } });
  });

  it("answers express's own failures with their 4xx status and a fixed message", () => {
    expect(describeError(Object.assign(new Error('ENOENT /srv/x'), { status: 404 }))).toEqual({ status: 404, body: { code: 'not_found', message: 'Not found.' } });
    expect(describeError(Object.assign(new URIError('bad'), { status: 400 }))).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(describeError(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 }))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });
});
