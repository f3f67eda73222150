import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';

/** The built web app is needed: pages carry the CSP SvelteKit writes. */
describe('security headers', () => {
  const apps: RunningApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const start = async (overrides: Record<string, string> = {}) => {
    const app = await startApp(testConfig(overrides));
    apps.push(app);
    return app.url;
  };

  it('every response forbids framing and sniffing, limits the referrer and isolates the page; non-page responses run nothing', async () => {
    const base = await start();
    const paths = ['/', '/signin', '/favicon.svg', '/api/shows', '/api/orders', '/healthz', '/media/products/missing.jpg', '/hls/nope/master.m3u8', '/no-such-page'];
    for (const p of paths) {
      const res = await fetch(`${base}${p}`);
      expect([p, res.headers.get('x-content-type-options')]).toEqual([p, 'nosniff']);
      expect([p, res.headers.get('x-frame-options')]).toEqual([p, 'DENY']);
      expect([p, res.headers.get('referrer-policy')]).toEqual([p, 'strict-origin-when-cross-origin']);
      // Cross-origin isolation, which the moderation worker's threads need.
      expect([p, res.headers.get('cross-origin-opener-policy')]).toEqual([p, 'same-origin']);
      expect([p, res.headers.get('cross-origin-embedder-policy')]).toEqual([p, 'require-corp']);
      // Served over plain http on loopback: no HSTS (it would pin a name that has no certificate).
      expect([p, res.headers.get('strict-transport-security')]).toEqual([p, null]);
    }
    for (const p of ['/api/shows', '/healthz', '/media/products/missing.jpg', '/hls/nope/master.m3u8']) {
      const csp = (await fetch(`${base}${p}`)).headers.get('content-security-policy');
      expect([p, csp]).toEqual([p, "default-src 'none'; frame-ancestors 'none'"]);
    }
  });

  it("pages carry a CSP whose scripts need the page's nonce, with what the studio and players need", async () => {
    const base = await start();
    for (const p of ['/', '/signin']) {
      const res = await fetch(`${base}${p}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      const scriptSrc = directives.get('script-src') ?? [];
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(scriptSrc).toContain("'wasm-unsafe-eval'");
      const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce).toBeTruthy();
      // Every inline script on the page carries that nonce.
      const html = await res.text();
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
      expect(inline.length).toBeGreaterThan(0);
      for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('connect-src')).toContain("'self'");
      expect(directives.get('media-src')).toEqual(expect.arrayContaining(["'self'", 'blob:']));
      expect(directives.get('worker-src')).toEqual(expect.arrayContaining(["'self'", 'blob:']));
      expect(directives.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:', 'blob:']));
    }
  });

  it('tells browsers to keep to https when cookies are Secure', async () => {
    const base = await start({ SECURE_COOKIES: 'true' });
    for (const p of ['/', '/api/shows', '/favicon.svg']) {
      expect([p, (await fetch(`${base}${p}`)).headers.get('strict-transport-security')]).toEqual([p, 'max-age=31536000; includeSubDomains']);
    }
  });
});
