import type { Response } from 'express';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import { Peer } from '../rooms/peer.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { viewerServer } from '../sfu/worker-pool.ts';
import { playbackSections, playerCapabilities, playerRouterCodecs } from './playback-media.ts';
import type { PlayerRouters } from './player-routers.ts';
import { writeAnswer } from './sdp-answer.ts';
import { parseOffer } from './sdp-offer.ts';
import { HttpSession, type SessionRegistry } from './sessions.ts';

const log = logger('whep');

/** As the room's viewer transports: UDP first, TCP where UDP is blocked. */
const TRANSPORT_DEFAULTS = { enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 1_000_000 };

/**
 * WHEP playback: a player's offer becomes a viewer in the show's room, seated and counted like a
 * browser viewer (the same worker seats and consumer limits, the same capacity), its media sent from a
 * router on the player's own payload types (see PlayerRouters). When WebRTC is full the player is sent to
 * the show's LL-HLS, as the room sends its own viewers: 503 with a `Link` to the playlist. WHEP cannot
 * renegotiate, so a session whose streams end (the host stopped publishing) ends too; players reconnect.
 */
export class WhepPlayback {
  readonly #shows: Shows;
  readonly #rooms: RoomRegistry;
  readonly #sessions: SessionRegistry;
  readonly #routers: PlayerRouters;

  constructor(opts: { shows: Shows; rooms: RoomRegistry; sessions: SessionRegistry; routers: PlayerRouters }) {
    this.#shows = opts.shows;
    this.#rooms = opts.rooms;
    this.#sessions = opts.sessions;
    this.#routers = opts.routers;
  }

  async play(showId: string, sdp: string, address: string, res: Response): Promise<{ session: HttpSession; answer: string }> {
    const show = await this.#shows.get(showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
    if (show.status !== 'live') throw new AppError('invalid_state', 'This show is not live yet.');
    const offer = parseOffer(sdp);
    this.#sessions.assertRoomFor('whep', address);
    const toHls = () => {
      res.setHeader('Link', `</hls/${showId}/master.m3u8>; rel="alternate"; type="application/vnd.apple.mpegurl"`);
      return new AppError('at_capacity', `Live video is full for this show; play its LL-HLS stream at /hls/${showId}/master.m3u8.`);
    };
    if (this.#rooms.atCapacity()) throw toHls();
    const room = await this.#rooms.get(showId);
    const codecs = playerRouterCodecs(offer.media, room.router.rtpCapabilities);
    // A show published on another node is piped in first.
    await this.#rooms.mediaReady(room);
    const producers = [...room.producers()].filter((p) => !p.closed);
    if (producers.length === 0) throw new AppError('media_unavailable', 'The host is not sending media right now; try again shortly.');
    const seat = this.#rooms.seatViewer(room.worker);
    if (!seat) throw toHls();
    // In the room as a viewer (counted, closed with the room); its media comes from a player router.
    const peer = new Peer({ id: newId(), role: 'viewer', user: null, send: () => {} });
    const releases = [seat.release];
    peer.once('closed', () => releases.forEach((r) => r()));
    room.join(peer);
    try {
      const players = await this.#routers.acquire(room, seat.worker, codecs);
      releases.push(players.release);
      const transport = await players.router.createWebRtcTransport({ ...TRANSPORT_DEFAULTS, webRtcServer: viewerServer(seat.worker), appData: { direction: 'recv' } });
      peer.transports.set(transport.id, transport);
      await transport.connect({ dtlsParameters: offer.dtls });
      const capabilities = playerCapabilities(offer.media, players.router.rtpCapabilities);
      const consumers: types.Consumer[] = [];
      for (const producer of producers) {
        const piped = await players.pipe(producer);
        if (!players.router.canConsume({ producerId: piped.id, rtpCapabilities: capabilities })) continue;
        const counted = seat.consumed();
        if (!counted) throw toHls();
        releases.push(counted);
        const consumer = await transport.consume({ producerId: piped.id, rtpCapabilities: capabilities, enableRtx: true, ignoreDtx: true });
        peer.consumers.set(consumer.id, consumer);
        consumers.push(consumer);
      }
      if (peer.closed) throw new AppError('invalid_state', 'The show’s room closed.');
      const answered = playbackSections(offer.media, consumers, `hawker-${showId}`);
      const sent = answered.filter((s) => !('declined' in s));
      if (sent.length === 0) throw new AppError('bad_request', 'The SDP offer receives none of the show’s media.', { reason: 'invalid_input', field: 'sdp' });
      const session = new HttpSession({ kind: 'whep', showId, address, peer, transport, mids: sent.map((s) => String(s.media.mid)), remoteUfrag: offer.ice.usernameFragment });
      // WHEP cannot renegotiate: once the host stops sending, the session ends and the player reconnects to what comes next.
      for (const consumer of consumers) consumer.observer.once('close', () => consumers.every((c) => c.closed) && session.close());
      this.#sessions.add(session);
      log.debug({ show: showId, session: session.id, worker: seat.worker.pid }, 'playing over WHEP');
      return { session, answer: writeAnswer(offer, transport, answered) };
    } catch (err) {
      peer.close();
      throw err;
    }
  }
}
