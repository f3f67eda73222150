import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { startApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { SessionStore } from './session.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-session-cookie-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A Set-Cookie header as name, value and attributes, in any order and case. */
function parseSetCookie(header: string) {
  const [pair, ...attributes] = header.split(';').map((s) => s.trim());
  const [name, value] = pair!.split('=') as [string, string];
  return { name, value, attributes: Object.fromEntries(attributes.map((a) => a.split('=')).map(([k, v]) => [k!.toLowerCase(), v ?? true])) };
}

function sessionSetCookie(res: Response) {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(header, `${res.url} sets the session cookie`).toBeDefined();
  return parseSetCookie(header!);
}

/** The built web app is needed: pages set the cookie through SvelteKit. */
describe('the session cookie', () => {
  it('is refreshed and cleared with the same attributes by the API and by the pages', async () => {
    // Two sessions last seen two hours ago: each request that presents one slides its expiry and re-sends the cookie.
    const file = path.join(dir, 'app.db');
    const db = openDatabase(file);
    db.insert(users).values({ id: 'u1', email: 'a@b.c', displayName: 'A', passwordHash: 'x', role: 'buyer' }).run();
    const twoHoursAgo = new SessionStore(new SqliteRepo(db), () => Date.now() - 2 * 60 * 60 * 1000);
    const forApi = (await twoHoursAgo.create('u1')).token;
    const forPage = (await twoHoursAgo.create('u1')).token;
    db.$client.close();

    const app = await startApp(testConfig({ DATABASE_PATH: file }));
    try {
      const base = app.url;
      const apiRefresh = sessionSetCookie(await fetch(`${base}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${forApi}` } }));
      const pageRefresh = sessionSetCookie(await fetch(`${base}/`, { headers: { cookie: `${SESSION_COOKIE}=${forPage}` } }));
      expect(apiRefresh.value).toBe(forApi);
      expect(pageRefresh.value).toBe(forPage);
      expect(pageRefresh.attributes).toEqual(apiRefresh.attributes);
      expect(apiRefresh.attributes).toMatchObject({ path: '/', httponly: true, samesite: 'Lax', 'max-age': String(10 * 24 * 60 * 60) });

      const apiCleared = sessionSetCookie(await fetch(`${base}/api/auth/signout`, { method: 'POST', headers: { origin: base } }));
      const pageCleared = sessionSetCookie(await fetch(`${base}/`, { headers: { cookie: `${SESSION_COOKIE}=no.such-session` } }));
      expect(pageCleared).toEqual(apiCleared);
      expect(apiCleared).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
    } finally {
      await app.close();
    }
  });
});
