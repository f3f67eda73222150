import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { Peer, type SendText } from '../rooms/peer.ts';
import { liveVideoFull, type Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { RequestHandlers } from '#shared/protocol.ts';

type MediaMethod = 'join' | 'leave' | 'createTransport' | 'connectTransport' | 'produce' | 'closeProducer' | 'consume' | 'resumeConsumer' | 'setViewport' | 'reportMediaMode' | 'ping';
type MediaHandlers = Pick<RequestHandlers, MediaMethod>;
/** Every request beyond media signalling, answered by the domains' ws-handlers. */
export type DomainHandlers = Omit<RequestHandlers, MediaMethod>;

/**
 * The media signalling for one connection: which room it joined and as what.
 * Permission checks live here; media mechanics live in Room. Requests that change
 * the connection's media state run one at a time (see `oneAtATime`).
 */
export function signalingHandlers(opts: {
  user: PublicUser | null;
  shows: Shows;
  rooms: RoomRegistry;
  send: SendText;
}): { handlers: MediaHandlers; close: () => void } {
  const { user, shows, rooms, send } = opts;
  let joined: { room: Room; peer: Peer } | null = null;
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new AppError('invalid_state', 'This connection has closed.');
  };
  const current = () => {
    if (!joined || joined.peer.closed) throw new AppError('invalid_state', 'Join a show first.');
    return joined;
  };
  const leave = () => {
    joined?.peer.close();
    joined = null;
  };
  // Capacity is enforced, not advised: a viewer beyond it watches over LL-HLS. The host is never refused.
  const assertWebRtcSeat = (peer: Peer) => {
    if (peer.role === 'viewer' && rooms.atCapacity()) throw liveVideoFull();
  };

  const handlers: MediaHandlers = {
    async join({ showId, role }) {
      const show = role === 'host' ? await shows.assertCanRun(user, showId) : await shows.get(showId);
      if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
      if (role === 'host' && show.isDemo) throw new AppError('forbidden', 'The demo show is published by the server.');
      leave();
      const room = await rooms.get(showId);
      // The socket may have closed while the room was opening; a peer added now would never leave.
      assertOpen();
      // A viewer arriving when the SFU is full watches over LL-HLS; bids, drops and chat work the same.
      const mediaMode = role === 'viewer' && rooms.atCapacity() ? 'hls' : 'webrtc';
      const peer = new Peer({ id: newId(), role, user, send, mediaMode });
      room.join(peer);
      joined = { room, peer };
      // A show published on another node is piped in first, so the viewer learns of its producers now.
      if (role === 'viewer') await rooms.mediaReady(room);
      if (peer.closed) throw new AppError('invalid_state', 'You left the show.');
      return {
        peerId: peer.id,
        showStatus: show.status,
        mediaMode,
        routerRtpCapabilities: room.router.rtpCapabilities,
        producerCount: room.producerCount
      };
    },
    leave() {
      leave();
      return {};
    },
    async createTransport({ direction }) {
      const { room, peer } = current();
      if (direction === 'recv') assertWebRtcSeat(peer);
      return room.createTransport(peer, direction);
    },
    async connectTransport({ transportId, dtlsParameters }) {
      const { room, peer } = current();
      await room.connectTransport(peer, transportId, dtlsParameters as types.DtlsParameters);
      return {};
    },
    async produce({ transportId, kind, rtpParameters }) {
      const { room, peer } = current();
      // Publishing goes out to viewers only while the show is live; the studio goes live first.
      if ((await shows.get(room.showId)).status !== 'live') throw new AppError('invalid_state', 'Go live before publishing.');
      const producerId = await room.produce(peer, transportId, kind, rtpParameters as types.RtpParameters);
      return { producerId };
    },
    closeProducer({ producerId }) {
      const { room, peer } = current();
      room.closeProducer(peer, producerId);
      return {};
    },
    async consume({ rtpCapabilities }) {
      const { room, peer } = current();
      assertWebRtcSeat(peer);
      return { consumers: await room.consume(peer, rtpCapabilities as types.RtpCapabilities) };
    },
    async resumeConsumer({ consumerId }) {
      const { room, peer } = current();
      await room.resumeConsumer(peer, consumerId);
      return {};
    },
    setViewport({ height }) {
      const { room, peer } = current();
      return { spatialLayer: room.setViewport(peer, height) };
    },
    reportMediaMode({ mode }) {
      current().peer.mediaMode = mode;
      return {};
    },
    ping({ clientTime }) {
      return { clientTime, serverTime: Date.now() };
    }
  };

  return {
    // A clock ping changes nothing and must not wait behind a slow join.
    handlers: { ...oneAtATime(handlers, assertOpen), ping: handlers.ping },
    close: () => {
      closed = true;
      leave();
    }
  };
}

/**
 * One connection's media requests run one at a time, in arrival order: many joins in
 * one TCP write, or a transport request racing a join, cannot interleave across their
 * awaits. Each checks `assertOpen` first, so a closed connection's queued requests do nothing.
 */
function oneAtATime(handlers: MediaHandlers, assertOpen: () => void): MediaHandlers {
  let tail: Promise<unknown> = Promise.resolve();
  const queued: Record<string, (data: never) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (data: never) => unknown][]) {
    queued[name] = (data) => {
      const run = tail.then(() => {
        assertOpen();
        return handler(data);
      });
      tail = run.catch(() => {});
      return run;
    };
  }
  return queued as MediaHandlers;
}
