import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';

/** A session cookie whose value is not valid percent-encoding. */
const BAD_COOKIE = 'hawker_session=%E0%A4%A';

/** The built web app is needed: pages are SvelteKit's. */
describe('an undecodable session cookie on pages and the API', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig());
  });
  afterAll(async () => {
    await app.close();
  });

  it('is treated as signed out, never as a server error', async () => {
    for (const p of ['/', '/signin', '/api/me', '/api/shows']) {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie: `theme=dark; ${BAD_COOKIE}` } });
      expect([p, res.status]).toEqual([p, 200]);
    }
    const me = await fetch(`${app.url}/api/me`, { headers: { cookie: BAD_COOKIE } });
    expect(await me.json()).toEqual({ user: null });
    const signIn = await fetch(`${app.url}/signin`, { headers: { cookie: BAD_COOKIE } });
    expect(await signIn.text()).not.toMatch(/URIError|at .*\.(js|ts):\d+/);
  });
});
