import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { Peer, type SendText } from '../rooms/peer.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { Handlers } from './connection.ts';

type MediaMethod = 'join' | 'leave' | 'createTransport' | 'connectTransport' | 'produce' | 'closeProducer' | 'consume' | 'resumeConsumer' | 'setViewport' | 'ping';
type MediaHandlers = Pick<Handlers, MediaMethod>;
export type DomainHandlers = Omit<Handlers, MediaMethod>;

/**
 * The media signalling for one connection: which room it joined and as what.
 * Permission checks live here; media mechanics live in Room.
 */
export function signalingHandlers(opts: {
  user: PublicUser | null;
  shows: Shows;
  rooms: RoomRegistry;
  send: SendText;
}): { handlers: MediaHandlers; close: () => void } {
  const { user, shows, rooms, send } = opts;
  let joined: { room: Room; peer: Peer } | null = null;

  const current = () => {
    if (!joined || joined.peer.closed) throw new AppError('invalid_state', 'Join a show first.');
    return joined;
  };
  const leave = () => {
    joined?.peer.close();
    joined = null;
  };

  const handlers: MediaHandlers = {
    async join({ showId, role }) {
      const show = role === 'host' ? shows.assertCanRun(user, showId) : shows.get(showId);
      if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.');
      if (role === 'host' && show.isDemo) throw new AppError('forbidden', 'The demo show is published by the server.');
      leave();
      const room = await rooms.get(showId);
      const peer = new Peer({ id: newId(), role, user, send });
      room.join(peer);
      joined = { room, peer };
      return {
        peerId: peer.id,
        showStatus: show.status,
        // A viewer arriving when the SFU is full watches over LL-HLS; bids, drops and chat work the same.
        mediaMode: role === 'viewer' && rooms.atCapacity(room) ? 'hls' : 'webrtc',
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
      if (shows.get(room.showId).status !== 'live') throw new AppError('invalid_state', 'Go live before publishing.');
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
    ping({ clientTime }) {
      return { clientTime, serverTime: Date.now() };
    }
  };
  return { handlers, close: leave };
}
