import type { Accounts } from '../auth/accounts.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import { Peer } from '../rooms/peer.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { ingestSections } from './ingest-media.ts';
import { writeAnswer, type AnsweredSection } from './sdp-answer.ts';
import { parseOffer } from './sdp-offer.ts';
import { HttpSession, type SessionRegistry } from './sessions.ts';
import type { StreamKeys } from './stream-keys.ts';
import type { ShowDto } from '#shared/shows.ts';

const log = logger('whip');

/**
 * WHIP ingest (RFC 9725): an encoder's offer becomes the show's host peer, publishing through the same
 * Room calls as the studio (send transport, connect, produce), so viewers, LL-HLS and the recording
 * cannot tell an encoder from a browser. Starting a stream takes a scheduled show live, as the studio's
 * "Go live" does; ending it (DELETE, or the encoder going away) leaves the show live for the host to end.
 */
export class WhipIngest {
  readonly #shows: Shows;
  readonly #accounts: Accounts;
  readonly #rooms: RoomRegistry;
  readonly #sessions: SessionRegistry;
  /** Shows with a publish being set up, so two racing offers cannot both pass the one-publisher check. */
  readonly #opening = new Set<string>();

  constructor(opts: { shows: Shows; accounts: Accounts; rooms: RoomRegistry; sessions: SessionRegistry; keys: StreamKeys }) {
    this.#shows = opts.shows;
    this.#accounts = opts.accounts;
    this.#rooms = opts.rooms;
    this.#sessions = opts.sessions;
    // A replaced key ends what the old one opened.
    opts.keys.on('replaced', (showId) => {
      for (const s of this.#sessions.ofShow('whip', showId)) s.close();
    });
  }

  /** The show an offer is for (404 when there is none), before its key is checked. */
  show(showId: string): Promise<ShowDto> {
    return this.#shows.get(showId);
  }

  /** Publishes the offer's media as the show's host; the caller has checked the stream key. */
  async publish(show: ShowDto, sdp: string, address: string): Promise<{ session: HttpSession; answer: string }> {
    const showId = show.id;
    if (show.isDemo) throw new AppError('forbidden', 'The demo show is published by the server.');
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
    this.#sessions.assertRoomFor('whip', address);
    if (this.#opening.has(showId)) throw alreadyPublishing();
    this.#opening.add(showId);
    try {
      const open = await this.#rooms.find(showId);
      if ((open && !open.localProducers().next().done) || this.#sessions.ofShow('whip', showId).next().done === false) throw alreadyPublishing();
      const offer = parseOffer(sdp);
      // The key stands for the show's host: one who lost host rights cannot stream with it either.
      const host = await this.#accounts.byId(show.host.id);
      await this.#shows.assertCanRun(host, showId);
      const room = await this.#rooms.get(showId);
      const sections = ingestSections(offer.media, room.router.rtpCapabilities);
      if (show.status === 'scheduled') await this.#shows.goLive(host!, showId);
      const peer = new Peer({ id: newId(), role: 'host', user: host, send: () => {} });
      room.join(peer);
      try {
        const local = await room.createTransport(peer, 'send');
        const transport = peer.transport(local.id);
        await room.connectTransport(peer, local.id, offer.dtls);
        const answered: AnsweredSection[] = [];
        for (const s of sections) {
          if ('declined' in s) {
            answered.push({ media: s.media, declined: true });
            continue;
          }
          await room.produce(peer, local.id, s.track.kind, s.track.rtpParameters).catch((err: unknown) => {
            throw err instanceof AppError ? err : new AppError('bad_request', `The media server refused the offered ${s.track.kind}.`, { reason: 'invalid_input', field: 'sdp' });
          });
          answered.push({ media: s.media, direction: 'recvonly', rtpParameters: s.track.rtpParameters, recvRids: s.track.rids });
        }
        const mids = sections.filter((s) => 'track' in s).map((s) => String(s.media.mid));
        const session = new HttpSession({ kind: 'whip', showId, address, peer, transport, mids, remoteUfrag: offer.ice.usernameFragment });
        this.#sessions.add(session);
        log.info({ show: showId, session: session.id, tracks: mids.length }, 'publishing over WHIP');
        return { session, answer: writeAnswer(offer, transport, answered) };
      } catch (err) {
        peer.close();
        throw err;
      }
    } finally {
      this.#opening.delete(showId);
    }
  }
}

function alreadyPublishing(): AppError {
  return new AppError('conflict', 'The show already has a publisher; stop the other stream (or the studio camera) first.');
}
