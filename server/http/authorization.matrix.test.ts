import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import { testConfig } from '../testing/test-config.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import { ROLES, World, type Role } from '../testing/authorization-world.ts';
import { httpRules, wsRules, type HttpCall } from '../testing/authorization-table.ts';
import { requestSchemas } from '#shared/protocol.ts';
import { apiRoutes } from '../testing/fuzz/rest-routes.ts';

/**
 * Every REST route and ws request against every role: allowed roles succeed, the
 * others are refused (401/403/404) and leave the database and the show's room as
 * they were. Routes are read from the running server's router and ws methods from
 * the protocol, so one added without a row in the table fails here.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-authz-'));
const dbFile = path.join(dir, 'db.sqlite');
/**
 * Written regardless of the request: sessions slide on every call, stats count on timers, and the webhook
 * dispatcher fans out and attempts the owner's events on its own rounds (a refused replay shows in its status).
 */
const UNWATCHED_TABLES = new Set(['sessions', 'show_stats', 'webhook_events', 'webhook_deliveries']);
const REFUSED_STATUS = [401, 403, 404];
const REFUSED_CODES = ['unauthenticated', 'forbidden', 'not_found'];

let app: RunningApp;
let reader: Database.Database;
let actors: World['actors'];
let target: Actor;
let worlds = 0;

beforeAll(async () => {
  app = await startApp(
    testConfig({ DATABASE_PATH: dbFile, BUYS_PER_MINUTE: '100000', MAX_UNPAID_UNITS_PER_BUYER: '100000', SIGNUP_LIMIT_PER_HOUR: '100000', MAX_OPEN_SHOWS_PER_HOST: '100000', API_TOKENS_PER_HOUR: '100000',
      // The owner's webhook endpoint is on loopback (a port that refuses): nothing leaves the machine.
      WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOKS_ALLOW_HTTP: 'true' }),
    { webHandler: false }
  );
  actors = {
    buyer: await actorWithRole(app, 'buyer@matrix.test', 'buyer'),
    otherHost: await actorWithRole(app, 'other-host@matrix.test', 'host'),
    moderator: await actorWithRole(app, 'moderator@matrix.test', 'moderator'),
    owner: await actorWithRole(app, 'owner@matrix.test', 'host'),
    admin: await actorWithRole(app, 'admin@matrix.test', 'admin')
  };
  target = await actorWithRole(app, 'target@matrix.test', 'buyer');
  reader = new Database(dbFile, { readonly: true });
});
afterAll(async () => {
  reader?.close();
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A session of its own per case, so a sign-out in one case cannot sign out the next. */
async function cookieOf(role: Role): Promise<string | undefined> {
  if (role === 'anonymous') return undefined;
  return `${SESSION_COOKIE}=${(await app.sessions.create(actors[role].user.id)).token}`;
}

/** A digest of every watched table and of the show's room (peers, producers). */
function snapshot(w: World): Map<string, string> {
  const out = new Map<string, string>();
  const tables = reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").pluck().all() as string[];
  for (const t of tables) {
    if (UNWATCHED_TABLES.has(t)) continue;
    const rows = reader.prepare(`SELECT * FROM "${t}"`).raw().all();
    out.set(t, crypto.createHash('sha1').update(JSON.stringify(rows)).digest('hex'));
  }
  const room = [...app.rooms.openRooms()].find((r) => r.showId === w.showId);
  out.set('room', JSON.stringify(room ? { peers: room.peerCount, producers: room.producerCount } : null));
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((k) => before.get(k) !== after.get(k));
}

async function callHttp(method: string, call: HttpCall, cookie: string | undefined) {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  let body: BodyInit | undefined;
  if (call.raw) {
    headers['content-type'] = call.raw.type;
    body = new Uint8Array(call.raw.bytes);
  } else if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body ?? {});
  }
  const res = await fetch(`${app.url}/api${call.path}`, { method, headers, body });
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  return { status: res.status, error: json?.error };
}

const who = (allowed: readonly Role[]) => (allowed.length ? `${allowed.join(', ')} only` : 'nobody');

interface Outcome {
  succeeded: boolean;
  refused: boolean;
  said: string;
}

/**
 * One row for every role, each in a world of its own: `prepare` sets up the call and
 * returns it; the snapshot is taken between the two, so only the call itself counts.
 */
async function failuresOf(allowed: readonly Role[], prepare: (w: World, role: Role) => Promise<() => Promise<Outcome>>): Promise<string[]> {
  const failures: string[] = [];
  for (const role of ROLES) {
    const w = await World.create(app, actors, target, ++worlds);
    try {
      const call = await prepare(w, role);
      const before = snapshot(w);
      const { succeeded, refused, said } = await call();
      if (allowed.includes(role)) {
        if (!succeeded) failures.push(`${role} should be allowed, got ${said}`);
        continue;
      }
      if (!refused) failures.push(`${role} should be refused, got ${said}`);
      const diff = changed(before, snapshot(w));
      if (diff.length) failures.push(`${role} was refused (${said}) but changed ${diff.join(', ')}`);
    } finally {
      await w.close();
    }
  }
  return failures;
}

describe('authorization matrix: REST routes', () => {
  for (const [route, rule] of Object.entries(httpRules)) {
    it(`${route}: ${who(rule.allowed)}`, async () => {
      const [method] = route.split(' ') as [string];
      const failures = await failuresOf(rule.allowed, async (w, role) => {
        const call = await rule.call(w, role);
        return async () => {
          const res = await callHttp(method, call, await cookieOf(role));
          const said = `${res.status}${res.error ? ` ${res.error.code}: ${res.error.message}` : ''}`;
          return { succeeded: res.status >= 200 && res.status < 300, refused: REFUSED_STATUS.includes(res.status), said };
        };
      });
      expect(failures).toEqual([]);
    });
  }
});

describe('authorization matrix: ws requests', () => {
  for (const [label, rule] of Object.entries(wsRules)) {
    it(`${label}: ${who(rule.allowed)}`, async () => {
      const failures = await failuresOf(rule.allowed, async (w, role) => {
        const client = await w.socket(role === 'anonymous' ? null : { user: actors[role].user, cookie: (await cookieOf(role))! });
        const data = await rule.prepare(w, client, role);
        return async () => {
          const res = await client.call(rule.method, data as never);
          return res.ok
            ? { succeeded: true, refused: false, said: 'ok' }
            : { succeeded: false, refused: REFUSED_CODES.includes(res.error.code), said: `${res.error.code}: ${res.error.message}` };
        };
      });
      expect(failures).toEqual([]);
    });
  }
});

/** `METHOD /path` (below /api) of every route the running server serves. */
function servedRoutes(): string[] {
  return apiRoutes(app.server).map((r) => `${r.method} ${r.path.slice('/api'.length)}`);
}

describe('authorization matrix: coverage', () => {
  it('has a row for every API route and ws method the server serves, and none for routes it does not', () => {
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !(r in httpRules))).toEqual([]);
    expect(Object.keys(httpRules).filter((r) => !routes.includes(r))).toEqual([]);
    const covered = new Set(Object.values(wsRules).map((r) => r.method));
    expect(Object.keys(requestSchemas).filter((m) => !covered.has(m as never))).toEqual([]);
  });
});
