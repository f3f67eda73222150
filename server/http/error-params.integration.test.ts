import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { adminSession, buyerSession, liveShow, postJson } from '../testing/http.ts';

/** Replies carry a code and params a client can translate, and name the field a validation error concerns. */
describe('error replies a client can translate', () => {
  let app: RunningApp;
  const clients: TestWsClient[] = [];
  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
  });

  it('names the reason of a refused sign-in and the field of an invalid sign-up', async () => {
    const wrong = await postJson(`${app.url}/api/auth/signin`, { email: 'admin@hawker.local', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({ code: 'unauthenticated', message: 'Wrong email or password.', params: { reason: 'wrong_credentials' } });

    const invalid = await postJson(`${app.url}/api/auth/signup`, { email: 'not-an-email', password: 'long-enough-password', displayName: 'Zed' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toMatchObject({ code: 'bad_request', field: 'email', params: { reason: 'invalid_input', field: 'email' } });
  });

  it('gives a bid below the minimum the minimum and the lot’s currency, over ws', async () => {
    const admin = await adminSession(app.url);
    const show = await liveShow(app.url, admin, 'Params show');
    const lot = (await postJson(`${app.url}/api/shows/${show.id}/lots`, { title: 'Teapot', currency: 'EUR', startingPrice: 5200, durationSeconds: 60 }, admin)).json.lot;
    await postJson(`${app.url}/api/lots/${lot.id}/start`, {}, admin);
    const ann = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: await buyerSession(app.url, 'ann@params.test') });
    clients.push(ann);
    await ann.request('join', { showId: show.id, role: 'viewer' });

    expect(await ann.call('bid', { lotId: lot.id, amount: 100 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', params: { reason: 'bid_too_low', min: 5200, currency: 'EUR' } }
    });
    expect(await ann.call('bid', { lotId: lot.id, amount: -1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', field: 'amount', params: { reason: 'invalid_input', field: 'amount' } }
    });
  });
});
