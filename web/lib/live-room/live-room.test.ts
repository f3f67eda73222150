import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '$shared/errors';
import { fakeConnection, settle, type SentRequest } from '$lib/testing/fake-socket';
import { LiveRoom, type RoomMedia, type UnjoinedSnapshot } from './live-room.svelte';

const SNAPSHOTS = ['auctionSnapshot', 'overlaySnapshot', 'chatHistory'];

/** A server with an empty show; `refuseJoin` makes it refuse joins with that code. */
function server(state: { refuseJoin: ErrorCode | null }) {
  return (req: SentRequest) => {
    if (req.method === 'join') return state.refuseJoin ? { error: state.refuseJoin } : { data: { peerId: 'p1', showStatus: 'live' } };
    if (req.method === 'auctionSnapshot') return { data: { lot: null, events: [], myMax: null } };
    if (req.method === 'overlaySnapshot') return { data: { rev: 1, notice: null, pinned: [], drop: null, coupon: null, poll: null } };
    if (req.method === 'chatHistory') return { data: { messages: [], pinned: null, slowModeSeconds: 0, heartsTotal: 0 } };
    return { data: {} };
  };
}

/** A media part that joins on every open, as a Viewer of a running show does. */
class JoiningMedia implements RoomMedia {
  closed = 0;
  readonly joinsOnOpen: boolean;
  constructor(room: LiveRoom, joinsOnOpen: boolean) {
    this.joinsOnOpen = joinsOnOpen;
    room.client.onOpen(() => {
      if (this.joinsOnOpen) void room.client.request('join', { showId: 's1', role: 'viewer' }).catch(() => {});
    });
  }
  close(): void {
    this.closed++;
  }
}

function setup(opts: { joins?: boolean; unjoined?: UnjoinedSnapshot[]; refuseJoin?: ErrorCode } = {}) {
  const state = { refuseJoin: opts.refuseJoin ?? null };
  const c = fakeConnection(server(state));
  const room = new LiveRoom({ showId: 's1', userId: null, unjoined: opts.unjoined, client: c.client });
  const media = room.attach(new JoiningMedia(room, opts.joins ?? true));
  const events: string[] = [];
  room.on('joined', () => events.push('joined'));
  room.on('rejoined', () => events.push('rejoined'));
  const snapshots = () => c.sent.map((r) => r.method).filter((m) => SNAPSHOTS.includes(m)).sort();
  return { c, room, media, events, snapshots, state };
}

describe('a LiveRoom', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads each snapshot once per join, and says joined, then rejoined after a reconnect', async () => {
    const { c, room, events, snapshots } = setup({ unjoined: ['auction'] });
    c.socket.open();
    await settle();
    expect(snapshots()).toEqual(['auctionSnapshot', 'chatHistory', 'overlaySnapshot']);
    expect(events).toEqual(['joined']);
    expect(room.overlay.state.rev).toBe(1);

    c.socket.drop();
    vi.runOnlyPendingTimers();
    c.socket.open();
    await settle();
    expect(snapshots()).toEqual(['auctionSnapshot', 'auctionSnapshot', 'chatHistory', 'chatHistory', 'overlaySnapshot', 'overlaySnapshot']);
    expect(events).toEqual(['joined', 'rejoined']);
    // The snapshots of a reconnect are read after its join, so nothing sent between them is missed.
    expect(c.socket.sent.map((r) => r.method).filter((m) => m !== 'ping')[0]).toBe('join');
    room.close();
  });

  it('without a join reads only what the page shows unjoined, once per connection', async () => {
    const { c, room, events, snapshots } = setup({ joins: false, unjoined: ['auction', 'overlay'] });
    c.socket.open();
    await settle();
    expect(snapshots()).toEqual(['auctionSnapshot', 'overlaySnapshot']);
    expect(events).toEqual([]);
    room.close();
  });

  it('still shows what it can unjoined when the join is refused (the media server is restarting)', async () => {
    const { c, room, events, snapshots, state } = setup({ unjoined: ['auction'], refuseJoin: 'media_unavailable' });
    c.socket.open();
    await settle();
    expect(snapshots()).toEqual(['auctionSnapshot']);
    expect(events).toEqual([]);

    // The media part retries; the join that goes through reads everything once.
    state.refuseJoin = null;
    await c.client.request('join', { showId: 's1', role: 'viewer' });
    await settle();
    expect(snapshots()).toEqual(['auctionSnapshot', 'auctionSnapshot', 'chatHistory', 'overlaySnapshot']);
    expect(events).toEqual(['joined']);
    room.close();
  });

  it('ignores joins of another show', async () => {
    const { c, room, events, snapshots } = setup({ joins: false });
    c.socket.open();
    await c.client.request('join', { showId: 'other', role: 'viewer' });
    await settle();
    expect(snapshots()).toEqual([]);
    expect(events).toEqual([]);
    room.close();
  });

  it('closes its media part and socket once, however often it is closed', () => {
    const { c, room, media } = setup();
    c.socket.open();
    room.close();
    room.close();
    expect(media.closed).toBe(1);
    expect(room.client.state).toBe('closed');
  });
});
