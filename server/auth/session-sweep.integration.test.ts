import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { startApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { SessionStore } from './session.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { SESSION_IDLE_MS } from './session-cookie.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-sessions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const user = { id: 'u1', email: 'a@b.c', displayName: 'A', passwordHash: 'x', role: 'buyer' as const };

describe('expired sessions', () => {
  it('are deleted by a sweep while live ones stay usable', async () => {
    const db = openDatabase(':memory:');
    db.insert(users).values(user).run();
    let now = 1_000_000;
    const store = new SessionStore(new SqliteRepo(db), () => now);
    const old = await store.create('u1');
    now += SESSION_IDLE_MS / 2;
    const fresh = await store.create('u1');
    now += SESSION_IDLE_MS / 2;

    expect(await store.sweepExpired()).toBe(1);
    expect(db.select({ id: sessions.id }).from(sessions).all()).toEqual([{ id: fresh.session.id }]);
    expect((await store.validate(fresh.token))?.user.id).toBe('u1');
    expect(await store.validate(old.token)).toBeNull();
    db.$client.close();
  });

  it('are swept when the server starts', async () => {
    const file = path.join(dir, 'start.db');
    const db = openDatabase(file);
    db.insert(users).values(user).run();
    const longAgo = Date.now() - SESSION_IDLE_MS - 60_000;
    const stale = await new SessionStore(new SqliteRepo(db), () => longAgo).create('u1');
    const live = await new SessionStore(new SqliteRepo(db)).create('u1');
    db.$client.close();

    const app = await startApp(testConfig({ DATABASE_PATH: file }), { webHandler: false });
    try {
      const reopened = openDatabase(file);
      const left = reopened.select({ id: sessions.id }).from(sessions).all().map((r) => r.id);
      reopened.$client.close();
      expect(left).not.toContain(stale.session.id);
      expect(left).toContain(live.session.id);
    } finally {
      await app.close();
    }
  });
});
