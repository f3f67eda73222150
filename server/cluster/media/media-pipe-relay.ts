import type { types } from 'mediasoup';
import { logger } from '../../log.ts';
import type { Room } from '../../rooms/room.ts';
import type { RoomRegistry } from '../../rooms/room-registry.ts';
import type { MediaOrigins } from './media-origins.ts';
import type { OwnerRequests } from '../owner-requests.ts';
import { PIPE_METHODS, pipeOpened, pipeSynced, type PipedProducer, type PipeListen } from './pipe-protocol.ts';
import { connectPipe, createPipe, endpointOf } from './pipe-transport.ts';

const log = logger('media-pipes');

/** Each pipe is synced this often even when nothing was announced: a missed message heals, a failed pipe is tried again, and the origin keeps it open. */
const SYNC_EVERY_MS = 4000;
/** A show's pipe outlives its last viewer by this much: a viewer reloading the page finds it still there. */
const IDLE_CLOSE_MS = 5000;
/** How long a viewer's join waits for the show's media to be piped in before answering without it. */
const READY_WAIT_MS = 2000;

/**
 * Someone here watches over WebRTC: those on LL-HLS (the node's seats are full, or they chose it) need no
 * pipe. It stops at the first, as it runs on every join.
 */
function watching(room: Room): boolean {
  for (const p of room.peers()) if (p.role === 'viewer' && p.mediaMode === 'webrtc') return true;
  return false;
}

interface Inbound {
  node: string;
  pipeId: string;
  transport: types.PipeTransport;
  producers: Map<string, types.Producer>;
}

/**
 * This node's side of a show published on another: while a room here has WebRTC viewers and no producers of its
 * own, an SRTP PipeTransport on the room's router carries the origin's producers in (same ids, every
 * simulcast layer), and the room serves them like its own. The pipe follows the origin's changes, moves
 * when the origin moves, and closes after the last viewer leaves.
 */
export class PipeRelay {
  readonly #rooms: RoomRegistry;
  readonly #origins: MediaOrigins;
  readonly #requests: OwnerRequests;
  readonly #listen: PipeListen;
  readonly #inbound = new Map<string, Inbound>();
  /** Each show's pipe changes one at a time. */
  readonly #queues = new Map<string, Promise<void>>();
  /** A show's next change, while it has not begun: later asks join it. */
  readonly #waiting = new Map<string, Promise<void>>();
  readonly #idle = new Map<string, NodeJS.Timeout>();
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(opts: { rooms: RoomRegistry; origins: MediaOrigins; requests: OwnerRequests; listen: PipeListen }) {
    this.#rooms = opts.rooms;
    this.#origins = opts.origins;
    this.#requests = opts.requests;
    this.#listen = opts.listen;
    opts.rooms.on('roomOpened', this.#watch);
    // This node's own announcements too: a host who starts publishing here ends the pipe in.
    opts.origins.on('changed', (showId) => {
      if (this.#inbound.has(showId) || this.#rooms.find(showId)) void this.#refresh(showId);
    });
    // Pipes are synced, and rooms still waiting for one (a first attempt failed) try again.
    this.#timer = setInterval(() => {
      for (const room of this.#rooms.openRooms()) {
        if (this.#inbound.has(room.showId) || (!room.hasLocalProducers && watching(room))) void this.#refresh(room.showId);
      }
    }, SYNC_EVERY_MS);
    this.#timer.unref();
  }

  /** Resolves once the room's media is piped in (or there is nothing to pipe), at most READY_WAIT_MS later. */
  async ready(room: Room): Promise<void> {
    if (room.hasLocalProducers || this.#inbound.has(room.showId)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#refresh(room.showId), new Promise<void>((r) => (timer = setTimeout(r, READY_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Shows piped in from their origins. */
  get size(): number {
    return this.#inbound.size;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const t of this.#idle.values()) clearTimeout(t);
    for (const showId of [...this.#inbound.keys()]) this.#drop(showId);
  }

  readonly #watch = (room: Room): void => {
    room.on('peerCountChanged', () => {
      clearTimeout(this.#idle.get(room.showId));
      this.#idle.delete(room.showId);
      // Once piped, the regular sync keeps it; a join storm asks the origin once.
      if (watching(room)) return void (this.#inbound.has(room.showId) || this.#refresh(room.showId));
      if (!this.#inbound.has(room.showId)) return;
      const timer = setTimeout(() => (this.#idle.delete(room.showId), void this.#refresh(room.showId)), IDLE_CLOSE_MS);
      timer.unref();
      this.#idle.set(room.showId, timer);
    });
    room.once('closed', () => {
      clearTimeout(this.#idle.get(room.showId));
      this.#idle.delete(room.showId);
      void this.#refresh(room.showId);
    });
  };

  /** Brings the show's pipe in line with its room and its origin, after whatever change is under way. */
  #refresh(showId: string): Promise<void> {
    // A join storm waits on one look, not one each.
    const waiting = this.#waiting.get(showId);
    if (waiting) return waiting;
    const next = (this.#queues.get(showId) ?? Promise.resolve()).then(() => {
      this.#waiting.delete(showId);
      return this.#reconcile(showId);
    }).catch((err: unknown) => {
      log.warn({ show: showId, err: (err as Error).message }, 'piping a show in failed; tried again shortly');
      this.#drop(showId);
    });
    this.#queues.set(showId, next);
    this.#waiting.set(showId, next);
    void next.then(() => this.#queues.get(showId) === next && this.#queues.delete(showId));
    return next;
  }

  async #reconcile(showId: string): Promise<void> {
    const room = await this.#rooms.find(showId)?.catch(() => undefined);
    const wanted = !this.#closed && room && !room.closed && !room.hasLocalProducers && (watching(room) || this.#idle.has(showId));
    const origin = wanted ? await this.#origins.of(showId) : null;
    const inbound = this.#inbound.get(showId);
    if (!room || !origin || origin.node === this.#origins.node) return this.#drop(showId);
    if (inbound && inbound.node !== origin.node) this.#drop(showId);
    const current = this.#inbound.get(showId);
    if (current) return this.#sync(room, current);
    await this.#open(room, origin.node);
  }

  async #open(room: Room, node: string): Promise<void> {
    const transport = await createPipe(room.router, this.#listen);
    try {
      const opened = pipeOpened.parse(await this.#requests.call(node, PIPE_METHODS.open, { showId: room.showId, endpoint: endpointOf(transport) }));
      await connectPipe(transport, opened.endpoint);
      const inbound: Inbound = { node, pipeId: opened.pipeId, transport, producers: new Map() };
      this.#inbound.set(room.showId, inbound);
      transport.observer.once('close', () => this.#inbound.get(room.showId) === inbound && this.#inbound.delete(room.showId));
      for (const p of opened.producers) await this.#produce(room, inbound, p);
      log.info({ show: room.showId, from: node, producers: inbound.producers.size }, 'show piped in from its origin');
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  async #sync(room: Room, inbound: Inbound): Promise<void> {
    const synced = pipeSynced.parse(await this.#requests.call(inbound.node, PIPE_METHODS.sync, { pipeId: inbound.pipeId, have: [...inbound.producers.keys()] }));
    for (const p of synced.add) await this.#produce(room, inbound, p);
    const live = new Map(synced.live.map((p) => [p.id, p.paused]));
    for (const [id, producer] of inbound.producers) {
      const paused = live.get(id);
      if (paused === undefined) producer.close();
      else if (paused !== producer.paused) await (paused ? producer.pause() : producer.resume());
    }
  }

  async #produce(room: Room, inbound: Inbound, p: PipedProducer): Promise<void> {
    if (inbound.producers.has(p.id)) return;
    const producer = await inbound.transport.produce({
      id: p.id,
      kind: p.kind,
      rtpParameters: p.rtpParameters as unknown as types.RtpParameters,
      paused: p.paused,
      appData: { fromNode: inbound.node }
    });
    inbound.producers.set(p.id, producer);
    producer.observer.once('close', () => inbound.producers.delete(p.id));
    room.addProducer(producer);
  }

  /** Closes the show's pipe here (its producers with it: viewers are told) and lets the origin know. */
  #drop(showId: string): void {
    const inbound = this.#inbound.get(showId);
    if (!inbound) return;
    this.#inbound.delete(showId);
    inbound.transport.close();
    void this.#requests.call(inbound.node, PIPE_METHODS.close, { pipeId: inbound.pipeId }).catch(() => {});
    log.info({ show: showId, from: inbound.node }, 'show’s pipe closed');
  }
}
