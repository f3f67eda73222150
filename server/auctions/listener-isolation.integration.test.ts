import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';

describe('a failing listener after a committed bid', () => {
  let app: RunningApp;
  let host: Actor;
  let buyer: Actor;
  const post = (route: string, body: unknown, who: Actor) =>
    fetch(`${app.url}/api${route}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: who.cookie }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));

  beforeAll(async () => {
    app = await startApp(testConfig(), { webHandler: false });
    host = await actorWithRole(app, 'host@listeners.test', 'host');
    buyer = await actorWithRole(app, 'buyer@listeners.test', 'buyer');
  });
  afterAll(async () => {
    await app.close();
  });

  it('neither turns the accepted bid into an error nor stops the lot from closing', { timeout: 30_000 }, async () => {
    const showId = (await post('/shows', { title: 'Listener show', scheduledAt: Date.now() }, host)).json.show.id;
    expect((await post(`/shows/${showId}/live`, {}, host)).status).toBe(200);
    const lot = (await post(`/shows/${showId}/lots`, { title: 'Lamp', startingPrice: 1000, durationSeconds: 10, counterBidSeconds: 1 }, host)).json.lot;
    expect((await post(`/lots/${lot.id}/start`, {}, host)).status).toBe(200);
    app.auctions.on('bids', () => {
      throw new Error('a listener bug');
    });
    const bidder = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie: buyer.cookie });
    await bidder.request('join', { showId, role: 'viewer' });
    expect(await bidder.call('bid', { lotId: lot.id, expected: 1000 })).toMatchObject({ ok: true, data: { amount: 1000, leading: true } });
    // The lot's timer still runs: it closes and sells to the bidder.
    await expect
      .poll(async () => (await bidder.request('auctionSnapshot', { showId })).lot?.status, { timeout: 20_000, interval: 500 })
      .toBe('sold');
    bidder.close();
  });
});
