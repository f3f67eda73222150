import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { exchange } from '../testing/raw-ws.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import { testConfig } from '../testing/test-config.ts';

/**
 * API tokens over a real server: made with a session, used as `Authorization: Bearer` with each scope,
 * refused (401) once revoked or malformed, and never mixed with the cookie sent beside them.
 */

let app: RunningApp;
let host: Actor;
let otherHost: Actor;
let buyer: Actor;

beforeAll(async () => {
  app = await startApp(testConfig({ API_TOKENS_PER_HOUR: '1000' }), { webHandler: false });
  host = await actorWithRole(app, 'token-host@x.test', 'host');
  otherHost = await actorWithRole(app, 'token-other@x.test', 'host');
  buyer = await actorWithRole(app, 'token-buyer@x.test', 'buyer');
});
afterAll(async () => {
  await app?.close();
});

interface Call {
  status: number;
  json: any;
  headers: Headers;
}

async function call(method: string, path: string, opts: { token?: string; authorization?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {}, on = app): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${on.url}/api${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, json: await res.json().catch(() => null), headers: res.headers };
}

async function tokenOf(actor: Actor, scopes: string[], name = scopes.join('+')): Promise<{ id: string; token: string }> {
  const res = await call('POST', '/api-tokens', { cookie: actor.cookie, body: { name, scopes } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { id: res.json.apiToken.id, token: res.json.token };
}

const revokeAll = async (actor: Actor) => {
  for (const t of (await call('GET', '/api-tokens', { cookie: actor.cookie })).json.apiTokens) await call('DELETE', `/api-tokens/${t.id}`, { cookie: actor.cookie });
};

describe('API tokens', () => {
  it('shows the token once: the creation reply holds it, uncached; the list never does', async () => {
    const res = await call('POST', '/api-tokens', { cookie: host.cookie, body: { name: 'Shop sync', scopes: ['read', 'commerce'] } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.token).toMatch(/^hawker_pat_[a-z2-9]{24}_[\w-]{43}$/);
    expect(res.json.apiToken).toMatchObject({ name: 'Shop sync', scopes: ['read', 'commerce'], lastUsedAt: null });
    const secret = res.json.token.split('_').slice(3).join('_');
    const list = await call('GET', '/api-tokens', { cookie: host.cookie });
    expect(list.json.apiTokens).toContainEqual(res.json.apiToken);
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect(JSON.stringify(list.json)).not.toContain(res.json.token);
    await revokeAll(host);
  });

  it('acts as its owner within its scopes, and answers 403 insufficient_scope outside them', async () => {
    const read = await tokenOf(host, ['read']);
    const shows = await tokenOf(host, ['shows']);
    const commerce = await tokenOf(host, ['commerce']);

    const me = await call('GET', '/me', { token: read.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(host.user.id);
    expect((await call('GET', '/shows', { token: read.token })).status).toBe(200);
    expect((await call('GET', '/products', { token: read.token })).status).toBe(200);
    const refused = await call('POST', '/shows', { token: read.token, body: { title: 'Nope', scheduledAt: Date.now() } });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: 'forbidden', params: { reason: 'insufficient_scope', scope: 'shows' } });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="shows"');

    const show = await call('POST', '/shows', { token: shows.token, body: { title: 'By token', scheduledAt: Date.now() } });
    expect(show.status).toBe(201);
    expect(show.json.show.host.id).toBe(host.user.id);
    expect((await call('PATCH', `/shows/${show.json.show.id}`, { token: shows.token, body: { title: 'Renamed by token' } })).status).toBe(200);
    expect((await call('GET', '/shows', { token: shows.token })).json.error.params).toEqual({ reason: 'insufficient_scope', scope: 'read' });
    expect((await call('POST', '/products', { token: shows.token, body: { title: 'Mug', price: 1200, stock: 3 } })).status).toBe(403);

    const product = await call('POST', '/products', { token: commerce.token, body: { title: 'Mug', price: 1200, stock: 3 } });
    expect(product.status).toBe(201);
    expect((await call('PUT', `/shows/${show.json.show.id}/lineup`, { token: commerce.token, body: { productIds: [product.json.product.id] } })).status).toBe(200);
    expect((await call('POST', `/shows/${show.json.show.id}/live`, { token: commerce.token })).status).toBe(403);
    // The owner's rights still bound the token: another host's token cannot touch this show.
    const stranger = await tokenOf(otherHost, ['shows']);
    expect([403, 404]).toContain((await call('PATCH', `/shows/${show.json.show.id}`, { token: stranger.token, body: { title: 'Taken' } })).status);
    await revokeAll(host);
    await revokeAll(otherHost);
  });

  it('refuses tokens on session-only routes: a token cannot mint, list or revoke tokens, or buy', async () => {
    const all = await tokenOf(host, ['read', 'shows', 'commerce']);
    for (const [method, path, body] of [['POST', '/api-tokens', { name: 'minted', scopes: ['read'] }], ['GET', '/api-tokens'], ['DELETE', `/api-tokens/${all.id}`], ['POST', '/auth/signout', {}]] as const) {
      const res = await call(method, path, { token: all.token, body });
      expect(res.status, path).toBe(403);
      expect(res.json.error.params, path).toEqual({ reason: 'session_only' });
    }
    // A valid session beside the token changes nothing: the request is the token's alone.
    const both = await call('POST', '/api-tokens', { token: all.token, cookie: host.cookie, body: { name: 'minted', scopes: ['read'] } });
    expect(both.status).toBe(403);
    expect((await call('GET', '/api-tokens', { cookie: host.cookie })).json.apiTokens.map((t: { name: string }) => t.name)).not.toContain('minted');
    await revokeAll(host);
  });

  it('with both a cookie and a bearer, acts only as the bearer; a bad bearer never falls back to the cookie', async () => {
    const theirs = await tokenOf(otherHost, ['read']);
    const me = await call('GET', '/me', { token: theirs.token, cookie: host.cookie });
    expect(me.json.user.id).toBe(otherHost.user.id);
    expect(me.headers.get('set-cookie')).toBeNull();
    const bad = await call('GET', '/me', { authorization: 'Bearer hawker_pat_nope', cookie: host.cookie });
    expect(bad.status).toBe(401);
    await revokeAll(otherHost);
  });

  it('answers 401 invalid_token to a malformed, unknown or wrongly-schemed Authorization header, never anonymously', async () => {
    const good = await tokenOf(host, ['read']);
    const wrongSecret = good.token.slice(0, -3) + (good.token.endsWith('aaa') ? 'bbb' : 'aaa');
    for (const authorization of ['Bearer', 'Bearer ', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer hawker_pat_garbage', `Bearer ${wrongSecret}`, `Bearer ${good.token} extra`, `Token ${good.token}`, `Bearer ${'x'.repeat(4000)}`]) {
      // GET /shows answers anyone: a 401 here proves the header was not ignored.
      const res = await call('GET', '/shows', { authorization });
      expect(res.status, authorization.slice(0, 40)).toBe(401);
      expect(res.json.error, authorization.slice(0, 40)).toMatchObject({ code: 'unauthenticated', params: { reason: 'invalid_token' } });
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    expect((await call('GET', '/shows', { authorization: `bearer ${good.token}` })).status).toBe(200);
    await revokeAll(host);
  });

  it('is refused with 401 from the request after its revocation', async () => {
    const t = await tokenOf(host, ['read']);
    expect((await call('GET', '/me', { token: t.token })).status).toBe(200);
    expect((await call('DELETE', `/api-tokens/${t.id}`, { cookie: host.cookie })).status).toBe(200);
    const after = await call('GET', '/me', { token: t.token });
    expect(after.status).toBe(401);
    expect(after.json.error.params).toEqual({ reason: 'invalid_token' });
    expect((await call('DELETE', `/api-tokens/${t.id}`, { cookie: host.cookie })).status).toBe(404);
  });

  it('cannot be revoked, or seen, by another user', async () => {
    const t = await tokenOf(host, ['read']);
    const res = await call('DELETE', `/api-tokens/${t.id}`, { cookie: otherHost.cookie });
    expect(res.status).toBe(404);
    expect((await call('GET', '/api-tokens', { cookie: otherHost.cookie })).json.apiTokens).toEqual([]);
    expect((await call('GET', '/me', { token: t.token })).status).toBe(200);
    expect((await call('DELETE', `/api-tokens/${t.id}`, { cookie: buyer.cookie })).status).toBe(404);
    await revokeAll(host);
  });

  it('lists its last use, written at most once a minute', async () => {
    const t = await tokenOf(host, ['read']);
    const before = Date.now();
    await call('GET', '/me', { token: t.token });
    const first = (await call('GET', '/api-tokens', { cookie: host.cookie })).json.apiTokens.find((x: { id: string }) => x.id === t.id);
    expect(first.lastUsedAt).toBeGreaterThanOrEqual(before);
    await new Promise((r) => setTimeout(r, 20));
    await call('GET', '/me', { token: t.token });
    const second = (await call('GET', '/api-tokens', { cookie: host.cookie })).json.apiTokens.find((x: { id: string }) => x.id === t.id);
    expect(second.lastUsedAt).toBe(first.lastUsedAt);
    await revokeAll(host);
  });

  it('lets bearer writes through the same-origin guard, which still stops cross-site cookie writes', async () => {
    const t = await tokenOf(host, ['shows']);
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const byToken = await call('POST', '/shows', { token: t.token, headers: crossSite, body: { title: 'From a shop system', scheduledAt: Date.now() } });
    expect(byToken.status).toBe(201);
    const byCookie = await call('POST', '/shows', { cookie: host.cookie, headers: crossSite, body: { title: 'CSRF', scheduledAt: Date.now() } });
    expect(byCookie.status).toBe(403);
    expect(byCookie.json.error.code).toBe('forbidden');
    await revokeAll(host);
  });

  it('is not taken on the ws endpoint: an upgrade with a bearer is refused, not run as the cookie or as anonymous', async () => {
    const t = await tokenOf(host, ['read']);
    const u = new URL(app.url);
    const socket = net.connect(Number(u.port), u.hostname);
    const upgrade = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13';
    const head = await exchange(socket, `GET /ws HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${t.token}\r\nCookie: ${host.cookie}\r\n${upgrade}\r\n\r\n`);
    socket.destroy();
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    await revokeAll(host);
  });

  it('is for hosts: a buyer is refused, and bad input is a 400', async () => {
    const res = await call('POST', '/api-tokens', { cookie: buyer.cookie, body: { name: 'Mine', scopes: ['read'] } });
    expect(res.status).toBe(403);
    expect(res.json.error.params).toEqual({ reason: 'hosts_only' });
    expect((await call('POST', '/api-tokens', { body: { name: 'Anon', scopes: ['read'] } })).status).toBe(401);
    expect((await call('POST', '/api-tokens', { cookie: host.cookie, body: { name: 'Bad', scopes: ['admin'] } })).status).toBe(400);
    expect((await call('POST', '/api-tokens', { cookie: host.cookie, body: { scopes: ['read'] } })).status).toBe(400);
  });
});

describe('API token limits', () => {
  let limited: RunningApp;
  beforeAll(async () => {
    limited = await startApp(testConfig({ API_TOKENS_PER_ACCOUNT: '6', API_TOKENS_PER_HOUR: '8' }), { webHandler: false });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('counts live tokens per account (409 token_limit) and creations per hour (429)', async () => {
    const { cookie } = await actorWithRole(limited, 'token-limits@x.test', 'host');
    const create = (name: string) => call('POST', '/api-tokens', { cookie, body: { name, scopes: ['read'] } }, limited);
    const made = [];
    for (let i = 0; i < 6; i++) made.push((await create(`t${i}`)).json.apiToken.id);
    const full = await create('seventh');
    expect(full.status).toBe(409);
    expect(full.json.error.params).toEqual({ reason: 'token_limit', limit: 6 });
    await call('DELETE', `/api-tokens/${made[0]}`, { cookie }, limited);
    // Eight creations an hour: six made, one refused for the cap, this one the eighth.
    expect((await create('eighth')).status).toBe(201);
    await call('DELETE', `/api-tokens/${made[1]}`, { cookie }, limited);
    const flood = await create('ninth');
    expect(flood.status).toBe(429);
    expect(flood.json.error.code).toBe('rate_limited');
    expect((await call('GET', '/api-tokens', { cookie }, limited)).json.apiTokens).toHaveLength(5);
  });
});
