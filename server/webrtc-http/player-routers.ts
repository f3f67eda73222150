import type { types } from 'mediasoup';
import { logger } from '../log.ts';

const log = logger('whep');

/** What a player router needs of a show's room: its origin router and the producers on it. */
export interface ShowMedia {
  showId: string;
  router: types.Router;
  producers(): Iterable<types.Producer>;
}

/** A router that sends on a player's own payload types, shared by every player that offers the same ones. */
export interface PlayerRouter {
  router: types.Router;
  /** The show's producer on this router (piped in once, on first need). */
  pipe(producer: types.Producer): Promise<types.Producer>;
  /** This player is done with it; the last one closes it. */
  release(): void;
}

interface Entry {
  router: Promise<types.Router>;
  piped: Map<string, Promise<types.Producer>>;
  users: number;
}

/**
 * A WHEP player offers its own payload types and expects media on them (RFC 3264 §6.1), while a
 * mediasoup consumer sends its router's, one set per router. So players are served from routers
 * created with the player's payload types, one per show, worker and set of types (the players of one
 * browser build all share one), with the show's producers piped in from the room's router.
 */
export class PlayerRouters {
  readonly #entries = new Map<string, Entry>();

  /** The router for this show, worker and set of payload types, made on first need. Release it when done. */
  async acquire(show: ShowMedia, worker: types.Worker, codecs: types.RouterRtpCodecCapability[]): Promise<PlayerRouter> {
    const key = `${show.showId}|${worker.pid}|${codecs.map((c) => `${c.mimeType}/${c.preferredPayloadType}/${JSON.stringify(c.parameters ?? {})}`).join(',')}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      const made: Entry = { router: worker.createRouter({ mediaCodecs: codecs, appData: { players: show.showId } }), piped: new Map(), users: 0 };
      entry = made;
      this.#entries.set(key, made);
      made.router.then(
        (r) => r.observer.once('close', () => this.#entries.get(key) === made && this.#entries.delete(key)),
        () => this.#entries.get(key) === made && this.#entries.delete(key)
      );
    }
    const e = entry;
    e.users++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (--e.users > 0) return;
      if (this.#entries.get(key) === e) this.#entries.delete(key);
      void e.router.then((r) => r.close(), () => {});
      log.debug({ show: show.showId }, 'player router closed');
    };
    let router: types.Router;
    try {
      router = await e.router;
    } catch (err) {
      release();
      throw err;
    }
    const pipe = (producer: types.Producer): Promise<types.Producer> => {
      let piped = e.piped.get(producer.id);
      if (!piped) {
        // On the room's own worker a producer's id is taken already: the piped one gets its own.
        piped = show.router.pipeToRouter({ producerId: producer.id, router, keepId: false }).then(({ pipeProducer }) => {
          pipeProducer!.observer.once('close', () => e.piped.delete(producer.id));
          return pipeProducer!;
        });
        e.piped.set(producer.id, piped);
        piped.catch(() => e.piped.delete(producer.id));
      }
      return piped;
    };
    return { router, pipe, release };
  }
}
