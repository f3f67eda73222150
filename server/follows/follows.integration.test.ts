import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import type { FollowDto } from '#shared/follows.ts';
import type { Notifications } from '#shared/protocol.ts';

describe('following a shop', () => {
  let app: RunningApp;
  let host: Actor;
  let showId: string;

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_ENABLED: 'false' }), { webHandler: false });
    host = await actorWithRole(app, 'shop@follows.test', 'host');
    showId = (await app.shows.create(host.user, { title: 'Follow me', description: '', scheduledAt: Date.now() })).id;
    await app.shows.goLive(host.user, showId);
  });
  afterAll(async () => {
    await app.close();
  });

  const call = async (method: 'GET' | 'PUT' | 'DELETE', hostId: string, cookie?: string) => {
    const res = await fetch(`${app.url}/api/hosts/${hostId}/follow`, { method, headers: cookie ? { cookie } : {} });
    return { status: res.status, body: (await res.json()) as FollowDto & { error?: { code: string; params?: { reason?: string } } } };
  };
  const buyer = (name: string) => actorWithRole(app, `${name}@follows.test`, 'buyer');
  const joined = async (role: 'host' | 'viewer', cookie: string) => {
    const c = await TestWsClient.connect(`${app.url.replace('http', 'ws')}/ws`, { cookie });
    await c.request('join', { showId, role });
    return c;
  };

  it('follows and unfollows, each at most once, and counts followers', async () => {
    const [ann, ben] = [await buyer('ann'), await buyer('ben')];
    expect((await call('GET', host.user.id, ann.cookie)).body).toEqual({ hostId: host.user.id, followers: 0, following: false });
    expect((await call('PUT', host.user.id, ann.cookie)).body).toEqual({ hostId: host.user.id, followers: 1, following: true });
    expect((await call('PUT', host.user.id, ann.cookie)).body).toMatchObject({ followers: 1, following: true });
    expect((await call('PUT', host.user.id, ben.cookie)).body).toMatchObject({ followers: 2, following: true });
    expect((await call('GET', host.user.id)).body).toEqual({ hostId: host.user.id, followers: 2, following: false });
    expect((await call('GET', host.user.id, ann.cookie)).body).toMatchObject({ followers: 2, following: true });
    expect((await call('DELETE', host.user.id, ann.cookie)).body).toEqual({ hostId: host.user.id, followers: 1, following: false });
    expect((await call('DELETE', host.user.id, ann.cookie)).body).toMatchObject({ followers: 1, following: false });
    expect((await call('GET', host.user.id, ann.cookie)).body).toMatchObject({ followers: 1, following: false });
  });

  it('refuses the signed-out, a host following their own shop, and an account that is not a shop', async () => {
    const signedOut = await call('PUT', host.user.id);
    expect(signedOut.status).toBe(401);
    expect((await call('DELETE', host.user.id)).status).toBe(401);
    const own = await call('PUT', host.user.id, host.cookie);
    expect(own.status).toBe(400);
    expect(own.body.error).toMatchObject({ code: 'bad_request', params: { reason: 'own_shop' } });
    const cy = await buyer('cy');
    const notAShop = await call('PUT', cy.user.id, host.cookie);
    expect(notAShop.status).toBe(404);
    expect(notAShop.body.error).toMatchObject({ code: 'not_found', params: { reason: 'no_shop' } });
    expect((await call('GET', 'no-such-account', host.cookie)).status).toBe(404);
    expect((await call('GET', 'not%20an%20id')).status).toBe(400);
    expect((await call('GET', host.user.id)).body.followers).toBe(1);
  });

  it('limits follow taps per account', async () => {
    const dee = await buyer('dee');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await call(i % 2 ? 'DELETE' : 'PUT', host.user.id, dee.cookie)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
  });

  it('tells the live studio who followed, and the room the new count', async () => {
    const studio = await joined('host', host.cookie);
    const eve = await buyer('eve');
    const room = await joined('viewer', eve.cookie);
    const before = (await call('GET', host.user.id)).body.followers;

    await call('PUT', host.user.id, eve.cookie);
    const followed = await studio.waitForNotification('newFollower');
    expect(followed.data).toEqual({ follower: { id: eve.user.id, displayName: 'eve' } } satisfies Notifications['newFollower']);
    const count = (c: TestWsClient) => c.notifications.filter((n) => n.notification === 'followers').map((n) => (n.data as Notifications['followers']).count);
    await expect.poll(() => count(room)).toEqual([before + 1]);
    // Buyers learn the count, not who followed.
    expect(room.notifications.some((n) => n.notification === 'newFollower')).toBe(false);

    // Following again changes nothing and tells no one; unfollowing lowers the count without a feed entry.
    await call('PUT', host.user.id, eve.cookie);
    await call('DELETE', host.user.id, eve.cookie);
    await expect.poll(() => count(room)).toEqual([before + 1, before]);
    expect(studio.notifications.filter((n) => n.notification === 'newFollower')).toHaveLength(1);
    studio.close();
    room.close();
  });
});
