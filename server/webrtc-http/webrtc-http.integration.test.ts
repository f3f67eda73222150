import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import { chromePlayerOffer, obsOffer } from '../testing/sdp-offers.ts';

/** The WHIP and WHEP doors over HTTP against a real server and real mediasoup: every answer the protocols name. */
describe('WHIP and WHEP over HTTP', () => {
  let app: RunningApp;
  let host: Actor;
  let other: Actor;
  let buyer: Actor;
  let showId: string;
  let otherShowId: string;

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    host = await actorWithRole(app, 'host@whip.test', 'host');
    other = await actorWithRole(app, 'other@whip.test', 'host');
    buyer = await actorWithRole(app, 'buyer@whip.test', 'buyer');
    showId = (await app.shows.create(host.user, { title: 'Encoder show', description: '', scheduledAt: Date.now() })).id;
    otherShowId = (await app.shows.create(other.user, { title: 'Another', description: '', scheduledAt: Date.now() })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const newKey = async (id: string, who: Actor) => {
    const res = await fetch(`${app.url}/api/shows/${id}/stream-key`, { method: 'POST', headers: { cookie: who.cookie } });
    return { status: res.status, body: (await res.json()) as { key: string; createdAt: number }, cache: res.headers.get('cache-control') };
  };
  const offer = (path: string, sdp: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/sdp', ...headers }, body: sdp });
  const whip = (key: string | null, sdp = obsOffer, id = showId) => offer(`/whip/${id}`, sdp, key ? { authorization: `Bearer ${key}` } : {});
  const producers = async () => (await app.rooms.find(showId))?.producerCount ?? 0;

  it('gives the show’s host a stream key once, and nobody else', async () => {
    const before = await fetch(`${app.url}/api/shows/${showId}/stream-key`, { headers: { cookie: host.cookie } });
    expect(await before.json()).toEqual({ streamKey: { createdAt: null, streaming: false } });
    expect((await newKey(showId, buyer)).status).toBe(403);
    expect((await newKey(showId, other)).status).toBe(403);
    const made = await newKey(showId, host);
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.cache).toBe('no-store');
    const after = await (await fetch(`${app.url}/api/shows/${showId}/stream-key`, { headers: { cookie: host.cookie } })).json();
    expect(after).toEqual({ streamKey: { createdAt: made.body.createdAt, streaming: false } });
  });

  it('answers a bad WHIP request with the status RFC 9725 names', async () => {
    const { body: { key } } = await newKey(showId, host);
    const { body: { key: otherKey } } = await newKey(otherShowId, other);
    const wrongType = await offer(`/whip/${showId}`, obsOffer, { 'content-type': 'application/json', authorization: `Bearer ${key}` });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('accept')).toBe('application/sdp');
    expect((await whip(key, obsOffer, 'no-such-show')).status).toBe(404);
    const anonymous = await whip(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await whip('not-a-key')).status).toBe(401);
    expect((await whip(key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(401);
    expect((await whip(otherKey)).status).toBe(403);
    expect((await whip(key, 'v=0\r\nthis is not an offer\r\n')).status).toBe(400);
    expect((await fetch(`${app.url}/whip/${showId}`)).status).toBe(405);
    // None of these published anything or took the show live.
    expect(await producers()).toBe(0);
    expect((await app.shows.get(showId)).status).toBe('scheduled');
  });

  it('publishes an encoder’s offer: 201 with the answer, its resource, and the show live; a second encoder gets 409', async () => {
    const { body: { key } } = await newKey(showId, host);
    const res = await whip(key);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/sdp/);
    expect(res.headers.get('location')).toMatch(new RegExp(`^/whip/${showId}/[A-Za-z0-9_-]+$`));
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('access-control-expose-headers')).toContain('Location');
    const answer = parse(await res.text());
    expect(answer.media.map((m) => [m.type, m.direction, m.rtp[0]!.codec])).toEqual([['audio', 'recvonly', 'opus'], ['video', 'recvonly', 'H264']]);
    expect(await producers()).toBe(2);
    expect((await app.shows.get(showId)).status).toBe('live');
    expect((await whip(key)).status).toBe(409);
    const described = await (await fetch(`${app.url}/api/shows/${showId}/stream-key`, { headers: { cookie: host.cookie } })).json();
    expect(described.streamKey.streaming).toBe(true);

    const resource = `${app.url}${res.headers.get('location')}`;
    const patch = (body: string, headers: Record<string, string> = {}) =>
      fetch(resource, { method: 'PATCH', headers: { 'content-type': 'application/trickle-ice-sdpfrag', ...headers }, body });
    const candidate = 'a=ice-ufrag:PLgA\r\na=ice-pwd:1cPdKn2W9ITmCJK3bNo2mTnS\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host\r\n';
    expect((await patch(candidate)).status).toBe(204);
    expect((await patch(candidate, { 'if-match': res.headers.get('etag')! })).status).toBe(204);
    expect((await patch(candidate, { 'if-match': '"stale"' })).status).toBe(412);
    expect((await fetch(resource, { method: 'PATCH', headers: { 'content-type': 'application/sdp' }, body: candidate })).status).toBe(415);
    const restart = await patch('a=ice-ufrag:NeW1\r\na=ice-pwd:aNewPasswordForIceRestart\r\n', { 'if-match': '*' });
    expect(restart.status).toBe(200);
    expect(restart.headers.get('content-type')).toMatch(/^application\/trickle-ice-sdpfrag/);
    expect(restart.headers.get('etag')).not.toBe(res.headers.get('etag'));
    expect(await restart.text()).toMatch(/^a=ice-ufrag:/m);

    // DELETE ends the publish, not the show.
    expect((await fetch(resource, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(resource, { method: 'DELETE' })).status).toBe(404);
    expect(await producers()).toBe(0);
    expect((await app.shows.get(showId)).status).toBe('live');
  });

  it('ends the streams of a replaced key, and takes the new one', async () => {
    const { body: { key } } = await newKey(showId, host);
    const res = await whip(key);
    expect(res.status).toBe(201);
    const { body: { key: fresh } } = await newKey(showId, host);
    expect(await producers()).toBe(0);
    expect((await fetch(`${app.url}${res.headers.get('location')}`, { method: 'DELETE' })).status).toBe(404);
    expect((await whip(key)).status).toBe(401);
    const again = await whip(fresh);
    expect(again.status).toBe(201);
    await fetch(`${app.url}${again.headers.get('location')}`, { method: 'DELETE' });
  });

  it('lets any origin call it, without cookies', async () => {
    const pre = await fetch(`${app.url}/whep/${showId}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('plays a live show over WHEP to a player’s offer, as a viewer of the room', async () => {
    const scheduled = (await app.shows.create(host.user, { title: 'Later', description: '', scheduledAt: Date.now() + 3_600_000 })).id;
    expect((await offer(`/whep/${scheduled}`, chromePlayerOffer)).status).toBe(409);
    expect((await offer(`/whep/no-such-show`, chromePlayerOffer)).status).toBe(404);
    // Live, but nobody publishes: try again shortly.
    const idle = await offer(`/whep/${showId}`, chromePlayerOffer);
    expect(idle.status).toBe(503);
    expect(idle.headers.get('retry-after')).toBe('5');

    const { body: { key } } = await newKey(showId, host);
    const published = await whip(key);
    expect((await offer(`/whep/${showId}`, obsOffer)).status).toBe(400);
    expect((await offer(`/whep/${showId}`, chromePlayerOffer, { 'content-type': 'text/plain' })).status).toBe(415);
    const res = await offer(`/whep/${showId}`, chromePlayerOffer, { origin: 'https://shop.example' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(new RegExp(`^/whep/${showId}/`));
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const answer = parse(await res.text());
    expect(answer.media.map((m) => [m.type, m.direction, m.rtp[0]!.codec])).toEqual([['video', 'sendonly', 'H264'], ['audio', 'sendonly', 'opus']]);
    for (const m of answer.media) expect(m.ssrcs?.[0]?.attribute).toBe('cname');
    const room = (await app.rooms.find(showId))!;
    expect(room.viewerCount).toBe(1);

    // The encoder stops: nothing is left to send, so the player's session ends (it reconnects to what comes next).
    await fetch(`${app.url}${published.headers.get('location')}`, { method: 'DELETE' });
    await expect.poll(() => room.viewerCount).toBe(0);
    expect((await fetch(`${app.url}${res.headers.get('location')}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('WHEP when WebRTC is full', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false', SFU_MAX_CONSUMERS_PER_WORKER: '1' }), { webHandler: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends the player to the show’s LL-HLS, as the room sends its viewers', async () => {
    const host = await actorWithRole(app, 'host@whep-full.test', 'host');
    const showId = (await app.shows.create(host.user, { title: 'Full', description: '', scheduledAt: Date.now() })).id;
    const key = (await (await fetch(`${app.url}/api/shows/${showId}/stream-key`, { method: 'POST', headers: { cookie: host.cookie } })).json()).key as string;
    expect((await fetch(`${app.url}/whip/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` }, body: obsOffer })).status).toBe(201);
    // One consumer fits; the offer's second track does not.
    const res = await fetch(`${app.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: chromePlayerOffer });
    expect(res.status).toBe(503);
    expect(res.headers.get('link')).toBe(`</hls/${showId}/master.m3u8>; rel="alternate"; type="application/vnd.apple.mpegurl"`);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect((await res.json()).error.code).toBe('at_capacity');
    expect((await app.rooms.find(showId))!.viewerCount).toBe(0);
  });
});
