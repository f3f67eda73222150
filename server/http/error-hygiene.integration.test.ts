import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { adminSession, postJson } from '../testing/http.ts';
import { send } from '../testing/commerce.ts';
import { freePort } from '../testing/free-port.ts';

/** True when a reply body gives away how the server is built: a stack frame or a path on its disk. */
function leaksInternals(body: string): boolean {
  return /\bat .+:\d+:\d+/.test(body) || body.includes(process.cwd()) || body.includes('node_modules') || /\/(tmp|home|root|usr)\//.test(body);
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.text() };
}

describe('error replies', () => {
  let app: RunningApp;
  let admin: string;
  let showId: string;

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    admin = await adminSession(app.url);
    showId = (await postJson(`${app.url}/api/shows`, { title: 'Errors show', scheduledAt: Date.now() }, admin)).json.show.id;
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers a missing media file with a 404 that shows no stack and no path', async () => {
    for (const path of ['/media/covers/no-such-cover.webp', '/media/products/nope.webp', '/no-such-page']) {
      const reply = await get(`${app.url}${path}`);
      expect(reply.status).toBe(404);
      expect(leaksInternals(reply.body)).toBe(false);
      expect(JSON.parse(reply.body).error.code).toBe('not_found');
    }
  });

  it('answers a malformed media path with a 400 that shows no stack and no path', async () => {
    const reply = await get(`${app.url}/media/covers/%E0%A4%A`);
    expect(reply.status).toBe(400);
    expect(leaksInternals(reply.body)).toBe(false);
  });

  it('answers a text holding a NUL character with a client error, looked up or written', async () => {
    for (const path of ['/api/shows/a%00b', '/api/orders/a%00b']) expect((await get(`${app.url}${path}`, { cookie: admin })).status).toBeOneOf([400, 404]);
    expect((await send('PUT', `${app.url}/api/shows/${showId}/notice`, { text: 'a\u0000b' }, admin)).status).toBeOneOf([200, 400]);
  });

  it('answers a ban or a timeout of an unknown user with not_found, not a server error', async () => {
    const ban = await postJson(`${app.url}/api/shows/${showId}/chat/bans`, { userId: 'no-such-user', reason: 'spam' }, admin);
    expect(ban.status).toBe(404);
    expect(ban.json.error.code).toBe('not_found');
    const timeout = await postJson(`${app.url}/api/shows/${showId}/chat/timeouts`, { userId: 'no-such-user', seconds: 60 }, admin);
    expect(timeout.status).toBe(404);
  });
});

describe('/metrics access', () => {
  let app: RunningApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('answers 401 without the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'scrape-token-0123456789';
    app = await startApp(testConfig({ METRICS_TOKEN: token }), { webHandler: false });
    expect((await get(`${app.url}/metrics`)).status).toBe(401);
    expect((await get(`${app.url}/metrics`, { authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    const ok = await get(`${app.url}/metrics`, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('hawker_errors_total');
  });

  it('serves /metrics only on METRICS_PORT when one is set', async () => {
    const port = await freePort();
    app = await startApp(testConfig({ METRICS_PORT: String(port) }), { webHandler: false });
    expect((await get(`${app.url}/metrics`)).status).toBe(404);
    const ok = await get(`http://127.0.0.1:${port}/metrics`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('hawker_errors_total');
    expect((await get(`http://127.0.0.1:${port}/api/shows`)).status).toBe(404);
  });
});
