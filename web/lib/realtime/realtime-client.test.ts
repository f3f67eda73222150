import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '$lib/client-error';
import { fakeConnection, settle } from '$lib/testing/fake-socket';

describe('the realtime client', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reconnects after a drop with doubling delays capped at 5 s, and starts short again once a socket opens', () => {
    const c = fakeConnection();
    const states: string[] = [];
    c.client.onState((s) => states.push(s));
    c.socket.open();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = c.sockets.length;
      c.socket.drop();
      const start = Date.now();
      vi.advanceTimersToNextTimer();
      expect(c.sockets.length).toBe(before + 1);
      delays.push(Date.now() - start);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    c.socket.open();
    c.socket.drop();
    const start = Date.now();
    vi.advanceTimersToNextTimer();
    expect(Date.now() - start).toBe(250);
    expect(states.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
  });

  it('runs open listeners on every (re)open so callers can rejoin from scratch', () => {
    const c = fakeConnection();
    let opens = 0;
    c.client.onOpen(() => opens++);
    c.socket.open();
    c.socket.drop();
    vi.runOnlyPendingTimers();
    c.socket.open();
    expect(opens).toBe(2);
  });

  it('fails requests in flight with "disconnected" when the socket drops, and refuses them while it is down', async () => {
    const c = fakeConnection(() => undefined);
    c.socket.open();
    const inFlight = c.client.request('auctionSnapshot', { showId: 's1' });
    c.socket.drop();
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });
    await expect(c.client.request('auctionSnapshot', { showId: 's1' })).rejects.toBeInstanceOf(ClientError);
  });

  it('holds a request made while the first connection opens, sends it after the open listeners, and fails it if that socket drops', async () => {
    const c = fakeConnection((req) => ({ data: { method: req.method } }));
    c.client.onOpen(() => void c.client.request('join', { showId: 's1', role: 'viewer' }));
    const early = c.client.request('chatSend', { showId: 's1', text: 'hi' });
    c.socket.open();
    await expect(early).resolves.toEqual({ method: 'chatSend' });
    expect(c.socket.sent.map((r) => r.method)).toEqual(['join', 'chatSend']);

    const d = fakeConnection();
    const lost = d.client.request('chatSend', { showId: 's1', text: 'hi' });
    d.socket.drop();
    await expect(lost).rejects.toMatchObject({ code: 'disconnected' });
    // Never opened: it gives up with the request timeout.
    const e = fakeConnection();
    const waiting = expect(e.client.request('chatSend', { showId: 's1', text: 'hi' })).rejects.toMatchObject({ code: 'timeout' });
    vi.advanceTimersByTime(10_000);
    await waiting;
  });

  it('turns an error reply into a ClientError with the server code and message, and a silent server into "timeout"', async () => {
    const c = fakeConnection((req) => (req.method === 'bid' ? { error: 'conflict' } : undefined));
    c.socket.open();
    const refused = c.client.request('bid', { lotId: 'l1', amount: 10 });
    await expect(refused).rejects.toBeInstanceOf(ClientError);
    await expect(refused).rejects.toMatchObject({ code: 'conflict', message: 'bid refused' });
    const silent = c.client.request('auctionSnapshot', { showId: 's1' });
    const check = expect(silent).rejects.toMatchObject({ code: 'timeout' });
    vi.advanceTimersByTime(10_000);
    await check;
  });

  it('tells join listeners whether each join went through, before the joiner continues', async () => {
    let refuse = false;
    const c = fakeConnection((req) => (req.method === 'join' && refuse ? { error: 'media_unavailable' } : { data: {} }));
    const order: string[] = [];
    c.client.onJoin((showId, ok) => order.push(`${showId}:${ok}`));
    c.socket.open();
    await c.client.request('join', { showId: 's1', role: 'viewer' }).then(() => order.push('joiner'));
    refuse = true;
    await c.client.request('join', { showId: 's1', role: 'viewer' }).catch(() => order.push('joiner saw refusal'));
    expect(order).toEqual(['s1:true', 'joiner', 's1:false', 'joiner saw refusal']);
  });

  it('stays closed: no reconnect is pending after close()', () => {
    const c = fakeConnection();
    c.socket.open();
    c.socket.drop();
    c.client.close();
    vi.runAllTimers();
    expect(c.sockets.length).toBe(1);
    expect(c.client.state).toBe('closed');
  });

  it('delivers notifications by name until the handler unsubscribes', () => {
    const c = fakeConnection();
    c.socket.open();
    const counts: number[] = [];
    const off = c.client.on('viewerCount', ({ count }) => counts.push(count));
    c.socket.notify('viewerCount', { count: 3 });
    off();
    c.socket.notify('viewerCount', { count: 4 });
    expect(counts).toEqual([3]);
  });
});

// Keeps the helper honest: replies are asynchronous, as over a real socket.
it('answers requests after the send returns', async () => {
  const c = fakeConnection(() => ({ data: { serverTime: 5 } }));
  c.socket.open();
  let answered = false;
  void c.client.request('ping', { clientTime: 1 }).then(() => (answered = true));
  expect(answered).toBe(false);
  await settle();
  expect(answered).toBe(true);
});
