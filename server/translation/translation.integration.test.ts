import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { LibreTranslateServer } from '../testing/libretranslate-server.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, getJson, liveShow, postJson } from '../testing/http.ts';

async function send(app: RunningApp, cookie: string, showId: string, text: string): Promise<number> {
  const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie });
  try {
    return (await c.request('chatSend', { showId, text })).message.id;
  } finally {
    c.close();
  }
}

async function put(url: string, body: unknown, cookie: string): Promise<number> {
  return (await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })).status;
}

describe('chat translation with the embedded Apertium pair', () => {
  let app: RunningApp;
  let admin: string;
  let buyer: string;
  let showId: string;
  const translate = (body: unknown, cookie = buyer) => postJson(`${app.url}/api/shows/${showId}/translations`, body, cookie);
  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    admin = await adminSession(app.url);
    buyer = await buyerSession(app.url, 'lucia@translate.test', 'Lucía');
    showId = (await liveShow(app.url, admin, 'Translated show')).id;
  });
  afterAll(() => app.close());

  it('offers the installed directions from the show’s language', async () => {
    expect((await getJson(`${app.url}/api/shows/${showId}/translation`)).json).toEqual({ provider: 'apertium', from: 'en', languages: ['es'] });
    expect((await getJson(`${app.url}/api/shows/nope/translation`)).status).toBe(404);
  });

  it('translates the host’s message, notice and poll question into Spanish for real', async () => {
    const id = await send(app, admin, showId, 'Welcome everyone! This red bag is on sale today.');
    expect(await put(`${app.url}/api/shows/${showId}/notice`, { text: 'Free shipping for one hour' }, admin)).toBe(200);
    expect((await postJson(`${app.url}/api/shows/${showId}/polls`, { question: 'Which colour do you like?', options: ['Red', 'Blue'] }, admin)).status).toBe(201);
    const { status, json } = await translate({ to: 'es', messageIds: [id], notice: true, poll: true });
    expect(status).toBe(200);
    expect(json.messages).toEqual([{ id, text: expect.stringMatching(/^Bienvenido.*bolso rojo.*hoy/) }]);
    expect(json.withheld).toEqual([]);
    expect(json.notice).toEqual({ source: 'Free shipping for one hour', text: expect.stringMatching(/hora/) });
    expect(json.poll).toEqual({ id: expect.any(String), question: expect.stringMatching(/color/) });
    // Anyone watching may translate: the chat is theirs to read.
    expect((await translate({ to: 'es', messageIds: [id] }, '')).json.messages[0].text).toBe(json.messages[0].text);
  });

  it('withholds deleted messages, messages of other shows and what the word filter stops, in the original or in translation', async () => {
    const other = (await liveShow(app.url, admin, 'Another show')).id;
    const elsewhere = await send(app, admin, other, 'Hello from elsewhere');
    const deleted = await send(app, buyer, showId, 'Delete me please');
    const competitor = await send(app, buyer, showId, 'Cheaper at ShopMart');
    const dog = await send(app, buyer, showId, 'I have a dog');
    const fine = await send(app, buyer, showId, 'I have a cat');
    expect((await fetch(`${app.url}/api/chat/messages/${deleted}`, { method: 'DELETE', headers: { cookie: admin } })).status).toBe(200);
    // Blocked after the messages were sent: "ShopMart" in the original, "perro" only in the Spanish of "dog".
    expect(await put(`${app.url}/api/shows/${showId}/chat/blocklist`, { terms: ['ShopMart', 'perro'] }, admin)).toBe(200);
    const { json } = await translate({ to: 'es', messageIds: [elsewhere, deleted, competitor, dog, fine] });
    expect(json.messages).toEqual([{ id: fine, text: 'Tengo un gato' }]);
    expect(json.withheld.sort()).toEqual([elsewhere, deleted, competitor, dog].sort());
  });

  it('refuses bad requests with a clear 4xx', async () => {
    const id = await send(app, buyer, showId, 'Nice');
    expect((await translate({ to: 'ko', messageIds: [id] })).json.error).toMatchObject({ code: 'bad_request', field: 'to' });
    expect((await translate({ to: 'es' })).status).toBe(400);
    expect((await translate({ to: 'es', messageIds: Array.from({ length: 51 }, (_, i) => i + 1) })).status).toBe(400);
    expect((await translate({ to: 'Spanish!', messageIds: [id] })).status).toBe(400);
    expect((await postJson(`${app.url}/api/shows/nope/translations`, { to: 'es', messageIds: [id] }, buyer)).status).toBe(404);
  });

  it('limits each account’s batches per minute', async () => {
    const greedy = await buyerSession(app.url, 'greedy@translate.test', 'Greedy');
    const id = await send(app, greedy, showId, 'Hello');
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await translate({ to: 'es', messageIds: [id] }, greedy)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const last = await translate({ to: 'es', messageIds: [id] }, greedy);
    expect(last.status).toBe(429);
    expect(last.json.error.code).toBe('rate_limited');
  });
});

describe('chat translation through a LibreTranslate server', () => {
  let lt: LibreTranslateServer;
  let app: RunningApp;
  let admin: string;
  let showId: string;
  const translate = (body: unknown, cookie = '') => postJson(`${app.url}/api/shows/${showId}/translations`, body, cookie);
  beforeAll(async () => {
    lt = await LibreTranslateServer.start({ apiKey: 'lt-secret-key' });
    app = await startApp(
      testConfig({ HLS_ENABLED: 'false', TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_ENDPOINT_URL: lt.url, TRANSLATION_ENDPOINT_KEY: 'lt-secret-key' }),
      { webHandler: false }
    );
    admin = await adminSession(app.url);
    showId = (await liveShow(app.url, admin, 'Endpoint show')).id;
  });
  afterAll(async () => {
    await app.close();
    await lt.close();
  });

  it('offers the server’s languages and translates each message once per language', async () => {
    expect((await getJson(`${app.url}/api/shows/${showId}/translation`)).json).toEqual({ provider: 'libretranslate', from: 'en', languages: ['es', 'ko', 'zh'] });
    const id = await send(app, admin, showId, 'Hello everyone');
    const [a, b] = await Promise.all([translate({ to: 'ko', messageIds: [id] }), translate({ to: 'ko', messageIds: [id] }, await buyerSession(app.url, 'min@translate.test'))]);
    const again = await translate({ to: 'ko', messageIds: [id] });
    for (const r of [a, b, again]) expect(r.json.messages).toEqual([{ id, text: '안녕하세요 여러분' }]);
    expect((await translate({ to: 'es', messageIds: [id] })).json.messages).toEqual([{ id, text: 'hola todos' }]);
    expect(lt.calls).toEqual([
      { q: ['Hello everyone'], source: 'en', target: 'ko' },
      { q: ['Hello everyone'], source: 'en', target: 'es' }
    ]);
  });

  it('translates from the show’s regional language when the server offers that very one (Traditional Chinese)', async () => {
    const other = (await liveShow(app.url, admin, 'Taipei show')).id;
    expect(await put(`${app.url}/api/shows/${other}/captions`, { language: 'zh-TW' }, admin)).toBe(200);
    expect((await getJson(`${app.url}/api/shows/${other}/translation`)).json).toEqual({ provider: 'libretranslate', from: 'zh-TW', languages: ['en'] });
  });

  it('answers 503 when the server fails, naming neither its address nor its key', async () => {
    const id = await send(app, admin, showId, 'The bag is great');
    for (const failure of [500, 403] as const) {
      lt.failWith = failure;
      const res = await translate({ to: 'es', messageIds: [id] });
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('unavailable');
      const text = JSON.stringify(res.json);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('lt-secret-key');
    }
    lt.failWith = null;
    expect((await translate({ to: 'es', messageIds: [id] })).json.messages).toEqual([{ id, text: 'el bolso es genial' }]);
  });
});

describe('the show’s spoken language on a server without a speech engine', () => {
  let app: RunningApp;
  let admin: string;
  let showId: string;
  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false', CAPTIONS_PROVIDER: 'off' }), { webHandler: false });
    admin = await adminSession(app.url);
    showId = (await liveShow(app.url, admin, 'Bolsos en directo')).id;
  });
  afterAll(() => app.close());

  it('is set by the host and translation starts from it: Spanish into English', async () => {
    expect(await put(`${app.url}/api/shows/${showId}/captions`, { language: 'es' }, admin)).toBe(200);
    expect(await put(`${app.url}/api/shows/${showId}/captions`, { enabled: true }, admin)).toBe(400);
    expect((await getJson(`${app.url}/api/shows/${showId}/captions`)).json).toEqual({ enabled: false, language: 'es', provider: null, languages: [] });
    expect((await getJson(`${app.url}/api/shows/${showId}/translation`)).json).toEqual({ provider: 'apertium', from: 'es', languages: ['en'] });
    const id = await send(app, admin, showId, 'Este bolso rojo es muy bonito.');
    const { status, json } = await postJson(`${app.url}/api/shows/${showId}/translations`, { to: 'en', messageIds: [id] }, admin);
    expect(status).toBe(200);
    expect(json.messages).toEqual([{ id, text: expect.stringMatching(/red bag/i) }]);
  });
});
