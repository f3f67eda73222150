import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

const GHOST = 'no-such-show';

/** Rows in any table that name the given show. */
function rowsNaming(databasePath: string, showId: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    let n = 0;
    for (const { name } of tables) {
      const columns = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[];
      if (columns.some((c) => c.name === 'show_id')) n += (db.prepare(`SELECT count(*) AS n FROM "${name}" WHERE show_id = ?`).get(showId) as { n: number }).n;
    }
    return n;
  } finally {
    db.close();
  }
}

describe('requests naming a show that does not exist', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-unknown-show-'));
  const databasePath = path.join(dir, 'db.sqlite');
  let app: RunningApp;
  let wsUrl: string;
  let buyer: Actor;
  let showId: string;

  beforeAll(async () => {
    app = await startApp(testConfig({ DATABASE_PATH: databasePath }), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    const host = await actorWithRole(app, 'host@unknown-show.test', 'host');
    buyer = await actorWithRole(app, 'buyer@unknown-show.test', 'buyer');
    const res = await fetch(`${app.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: host.cookie },
      body: JSON.stringify({ title: 'Real show', scheduledAt: Date.now() })
    });
    showId = (await res.json()).show.id;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an anonymous heart for an unknown show is refused and hearts keep flowing for real shows', async () => {
    const stranger = await TestWsClient.connect(wsUrl);
    expect(await stranger.call('heart', { showId: GHOST })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const viewer = await TestWsClient.connect(wsUrl);
    await viewer.request('join', { showId, role: 'viewer' });
    await viewer.request('heart', { showId });
    const burst = await viewer.waitForNotification('hearts');
    expect(burst.data).toMatchObject({ count: 1, total: 1 });
    for (const c of [stranger, viewer]) c.close();
  });

  it('answers not_found to every request naming an unknown show and keeps no trace of it', async () => {
    const c = await TestWsClient.connect(wsUrl, { cookie: buyer.cookie });
    const notFound = { ok: false, error: { code: 'not_found' } };
    expect(await c.call('heart', { showId: GHOST })).toMatchObject(notFound);
    expect(await c.call('vote', { showId: GHOST, pollId: 'p', option: 0 })).toMatchObject(notFound);
    expect(await c.call('overlaySnapshot', { showId: GHOST })).toMatchObject(notFound);
    expect(await c.call('chatHistory', { showId: GHOST })).toMatchObject(notFound);
    expect(await c.call('auctionSnapshot', { showId: GHOST })).toMatchObject(notFound);
    expect(await c.call('lotEvents', { lotId: 'no-such-lot', afterSeq: 0 })).toMatchObject(notFound);
    c.close();
    // Past a hearts flush: nothing about the unknown show was written.
    await new Promise((r) => setTimeout(r, 600));
    expect(rowsNaming(databasePath, GHOST)).toBe(0);
  });
});
