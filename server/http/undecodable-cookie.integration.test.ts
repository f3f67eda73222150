import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';

/** Session cookies whose value is not valid percent-encoding, or decodes to a NUL (which PostgreSQL's text cannot hold). */
const BAD_COOKIES = ['hawker_session=%E0%A4%A', 'hawker_session=abc%00.def'];

/** The built web app is needed: pages are SvelteKit's. */
describe('an undecodable or malformed session cookie on pages and the API', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(testConfig());
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(BAD_COOKIES)('%s is treated as signed out, never as a server error', async (bad) => {
    for (const p of ['/', '/signin', '/api/me', '/api/shows']) {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie: `theme=dark; ${bad}` } });
      expect([p, res.status]).toEqual([p, 200]);
    }
    const me = await fetch(`${app.url}/api/me`, { headers: { cookie: bad } });
    expect(await me.json()).toEqual({ user: null });
    const signIn = await fetch(`${app.url}/signin`, { headers: { cookie: bad } });
    expect(await signIn.text()).not.toMatch(/URIError|at .*\.(js|ts):\d+/);
  });
});
