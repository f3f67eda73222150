import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeConnection, settle } from '$lib/testing/fake-socket';
import { ClientError } from '$lib/client-error';
import type { FollowDto } from '$shared/follows';
import { ShopFollow } from './shop-follow.svelte';

const calls: string[] = [];
let reply: (route: string) => Promise<FollowDto>;
vi.mock('$lib/api', () => ({ api: vi.fn((route: string) => (calls.push(route), reply(route))) }));

/** A reply the test releases when it wants, to look at the state in between. */
function held() {
  let release!: (dto: FollowDto) => void;
  let refuse!: (err: unknown) => void;
  const promise = new Promise<FollowDto>((res, rej) => ((release = res), (refuse = rej)));
  return { promise, release, refuse };
}

function setup() {
  const c = fakeConnection();
  const follow = new ShopFollow('h1', c.client);
  c.socket.open();
  return { c, follow };
}

describe('following a shop', () => {
  beforeEach(() => {
    calls.length = 0;
    reply = async () => ({ hostId: 'h1', followers: 7, following: false });
  });

  it('reads the count and the buyer’s state', async () => {
    const { follow } = setup();
    expect(follow.followers).toBeNull();
    await follow.load();
    expect(calls).toEqual(['GET /hosts/:id/follow']);
    expect(follow.followers).toBe(7);
    expect(follow.following).toBe(false);
  });

  it('shows a follow at once, then takes the server’s count', async () => {
    const { follow } = setup();
    await follow.load();
    const answer = held();
    reply = () => answer.promise;
    const done = follow.toggle();
    expect(calls.at(-1)).toBe('PUT /hosts/:id/follow');
    expect([follow.following, follow.followers, follow.busy]).toEqual([true, 8, true]);
    // A second tap while the first is on its way does nothing.
    await follow.toggle();
    expect(calls).toHaveLength(2);
    answer.release({ hostId: 'h1', followers: 9, following: true });
    await done;
    expect([follow.following, follow.followers, follow.busy]).toEqual([true, 9, false]);

    reply = async () => ({ hostId: 'h1', followers: 8, following: false });
    await follow.toggle();
    expect(calls.at(-1)).toBe('DELETE /hosts/:id/follow');
    expect([follow.following, follow.followers]).toEqual([false, 8]);
  });

  it('undoes a refused tap and passes the refusal on', async () => {
    const { follow } = setup();
    await follow.load();
    reply = () => Promise.reject(new ClientError('unauthenticated', 'Sign in first.'));
    await expect(follow.toggle()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect([follow.following, follow.followers, follow.busy]).toEqual([false, 7, false]);
  });

  it('follows the count the room pushes for this shop only, until closed', async () => {
    const { c, follow } = setup();
    await follow.load();
    c.socket.notify('followers', { hostId: 'h1', count: 12 });
    c.socket.notify('followers', { hostId: 'another shop', count: 1 });
    expect(follow.followers).toBe(12);
    follow.close();
    c.socket.notify('followers', { hostId: 'h1', count: 13 });
    expect(follow.followers).toBe(12);
  });

  it('rereads the count on every join, for what a dropped connection missed', async () => {
    const { c, follow } = setup();
    await c.client.request('join', { showId: 's1', role: 'viewer' });
    await settle();
    expect(calls).toEqual(['GET /hosts/:id/follow']);
    expect(follow.followers).toBe(7);
    follow.close();
    await c.client.request('join', { showId: 's1', role: 'viewer' });
    expect(calls).toHaveLength(1);
  });
});
