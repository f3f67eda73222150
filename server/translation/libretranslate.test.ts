import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LibreTranslateServer } from '../testing/libretranslate-server.ts';
import { LibreTranslateTranslator } from './libretranslate.ts';
import { TranslatorUnavailable } from './translator.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { serverKey?: string; key?: string; timeoutMs?: number; maxConcurrent?: number } = {}) {
  const server = await LibreTranslateServer.start({ apiKey: opts.serverKey });
  cleanups.push(() => server.close());
  const translator = await LibreTranslateTranslator.start({ url: server.url, apiKey: opts.key, timeoutMs: opts.timeoutMs, maxConcurrent: opts.maxConcurrent });
  cleanups.push(() => translator.close());
  return { server, translator };
}

describe('the LibreTranslate provider', () => {
  it('reads the directions the server offers, in Hawker’s language codes', async () => {
    const { translator } = await setup();
    expect(translator.pairs()).toEqual(expect.arrayContaining([{ from: 'en', to: 'es' }, { from: 'en', to: 'ko' }, { from: 'en', to: 'zh' }, { from: 'es', to: 'en' }]));
    expect(translator.pairs()).not.toContainEqual({ from: 'es', to: 'ko' });
    expect(translator.pairs()).not.toContainEqual({ from: 'en', to: 'en' });
  });

  it('sends a batch in one request and gets one text back per text', async () => {
    const { server, translator } = await setup({ serverKey: 'k-123', key: 'k-123' });
    expect(await translator.translate(['Hello everyone', 'The bag is great'], 'en', 'es')).toEqual(['hola todos', 'el bolso es genial']);
    expect(await translator.translate(['Hello'], 'en', 'zh')).toEqual(['Hello']);
    expect(server.calls).toEqual([
      { q: ['Hello everyone', 'The bag is great'], source: 'en', target: 'es' },
      { q: ['Hello'], source: 'en', target: 'zh-Hans' }
    ]);
  });

  it('turns a refused key into TranslatorUnavailable', async () => {
    const { translator } = await setup({ serverKey: 'right', key: 'wrong' });
    await expect(translator.translate(['Hello'], 'en', 'es')).rejects.toThrow('answered 403');
  });

  it('offers nothing while the languages cannot be read', async () => {
    const server = await LibreTranslateServer.start();
    cleanups.push(() => server.close());
    server.failWith = 502;
    const translator = await LibreTranslateTranslator.start({ url: server.url });
    cleanups.push(() => translator.close());
    expect(translator.pairs()).toEqual([]);
    await expect(translator.translate(['Hello'], 'en', 'es')).rejects.toBeInstanceOf(TranslatorUnavailable);
  });

  it('fails on a server error or a hang within its timeout', async () => {
    const { server, translator } = await setup({ timeoutMs: 300 });
    server.failWith = 500;
    await expect(translator.translate(['Hello'], 'en', 'es')).rejects.toThrow('answered 500');
    server.failWith = 'hang';
    const started = Date.now();
    await expect(translator.translate(['Hello'], 'en', 'es')).rejects.toBeInstanceOf(TranslatorUnavailable);
    expect(Date.now() - started).toBeLessThan(2000);
    server.failWith = null;
    expect(await translator.translate(['Hello'], 'en', 'es')).toEqual(['hola']);
  });

  it('keeps its key out of the language query and off redirects', async () => {
    const seen: string[] = [];
    const elsewhere = await LibreTranslateServer.start();
    cleanups.push(() => elsewhere.close());
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/languages') res.setHeader('content-type', 'application/json').end(JSON.stringify([{ code: 'en', targets: ['es'] }, { code: 'es', targets: ['en'] }]));
      else res.writeHead(308, { location: `${elsewhere.url}/translate` }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const translator = await LibreTranslateTranslator.start({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'secret-key' });
    cleanups.push(() => translator.close());
    await expect(translator.translate(['Hello'], 'en', 'es')).rejects.toThrow('the LibreTranslate server answered with a redirect, which is not followed');
    expect(seen).toEqual(['GET /languages', 'POST /translate']);
    expect(elsewhere.calls).toEqual([]);
  });

  it('keeps at most its bound of requests in flight', async () => {
    const { server, translator } = await setup({ maxConcurrent: 2 });
    let inFlight = 0;
    let most = 0;
    const original = globalThis.fetch;
    globalThis.fetch = async (...args) => {
      most = Math.max(most, ++inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight--;
      }
    };
    try {
      await Promise.all(Array.from({ length: 8 }, () => translator.translate(['Hello'], 'en', 'es')));
    } finally {
      globalThis.fetch = original;
    }
    expect(most).toBe(2);
    expect(server.calls).toHaveLength(8);
  });
});

describe('the test LibreTranslate server', () => {
  it('validates as the real API does', async () => {
    const { server } = await setup({ serverKey: 'k' });
    const post = (body: unknown) => fetch(`${server.url}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ source: 'en', target: 'es', api_key: 'k' })).status).toBe(400);
    expect((await post({ q: 'hi', target: 'es', api_key: 'k' })).status).toBe(400);
    expect((await post({ q: 'hi', source: 'en', api_key: 'k' })).status).toBe(400);
    expect((await post({ q: 'hi', source: 'en', target: 'es' })).status).toBe(403);
    expect((await post({ q: 'hi', source: 'en', target: 'xx', api_key: 'k' })).status).toBe(400);
    expect(await (await post({ q: 'hello', source: 'en', target: 'es', api_key: 'k' })).json()).toEqual({ translatedText: 'hola' });
  });
});
