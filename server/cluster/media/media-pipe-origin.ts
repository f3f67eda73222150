import type { types } from 'mediasoup';
import { AppError } from '../../errors.ts';
import { logger } from '../../log.ts';
import type { Room } from '../../rooms/room.ts';
import type { RoomRegistry } from '../../rooms/room-registry.ts';
import { isPiped } from '../../rooms/show-routers.ts';
import type { MediaOrigins } from './media-origins.ts';
import type { OwnerRequests } from '../owner-requests.ts';
import { closePipe, openPipe, PIPE_METHODS, syncPipe, type PipedProducer, type PipeEndpoint, type PipeListen } from './pipe-protocol.ts';
import { connectPipe, createPipe, endpointOf } from './pipe-transport.ts';

const log = logger('media-pipes');

/** A pipe whose node has not synced for this long is gone (the node died); it is closed. */
const PIPE_IDLE_MS = 15_000;
/** Nodes piping one show from here at once: one per node, with room for a cluster of many. */
const MAX_PIPES_PER_SHOW = 64;

interface Served {
  showId: string;
  node: string;
  transport: types.PipeTransport;
  consumers: Map<string, types.Consumer>;
  seen: number;
}

/**
 * The origin's side of piping a show to other nodes: it announces the shows whose producers are
 * published here (see MediaOrigins) and, asked by another node, opens an SRTP PipeTransport to it with
 * a consumer per producer, adds producers that come later, and closes the pipe when the node lets go
 * or stops syncing.
 */
export class PipeOrigin {
  readonly #rooms: RoomRegistry;
  readonly #origins: MediaOrigins;
  readonly #listen: PipeListen;
  readonly #served = new Map<string, Served>();
  readonly #sweep: NodeJS.Timeout;

  constructor(opts: { rooms: RoomRegistry; origins: MediaOrigins; requests: OwnerRequests; listen: PipeListen }) {
    this.#rooms = opts.rooms;
    this.#origins = opts.origins;
    this.#listen = opts.listen;
    opts.rooms.on('roomOpened', this.#watch);
    opts.rooms.on('roomClosed', (room) => void this.#origins.withdraw(room.showId));
    opts.requests.handle(PIPE_METHODS.open, (payload, from) => this.#open(openPipe.parse(payload), from));
    opts.requests.handle(PIPE_METHODS.sync, async (payload, from) => this.#sync(syncPipe.parse(payload), from));
    opts.requests.handle(PIPE_METHODS.close, async (payload, from) => {
      const served = this.#served.get(closePipe.parse(payload).pipeId);
      if (served?.node === from) served.transport.close();
      return {};
    });
    this.#sweep = setInterval(() => {
      for (const s of this.#served.values()) if (Date.now() - s.seen > PIPE_IDLE_MS) s.transport.close();
    }, PIPE_IDLE_MS / 3);
    this.#sweep.unref();
  }

  /** Pipes open to other nodes. */
  get size(): number {
    return this.#served.size;
  }

  close(): void {
    clearInterval(this.#sweep);
    for (const s of this.#served.values()) s.transport.close();
  }

  /** Announces the room's show whenever its own producers change, and withdraws it when none are left. */
  readonly #watch = (room: Room): void => {
    const changed = () => {
      if (room.closed) return;
      if (room.hasLocalProducers) void this.#origins.announce(room.showId);
      else void this.#origins.withdraw(room.showId);
    };
    const track = (p: types.Producer) => {
      if (isPiped(p)) return;
      p.observer.on('close', changed);
      p.observer.on('pause', changed);
      p.observer.on('resume', changed);
      changed();
    };
    room.on('producerAdded', track);
    for (const p of room.localProducers()) track(p);
  };

  async #open({ showId, endpoint }: { showId: string; endpoint: PipeEndpoint }, node: string): Promise<unknown> {
    const room = await this.#rooms.find(showId)?.catch(() => undefined);
    if (!room || room.closed || !room.hasLocalProducers) throw new AppError('not_found', 'This node does not publish that show.');
    let pipes = 0;
    for (const s of this.#served.values()) if (s.showId === showId) pipes++;
    if (pipes >= MAX_PIPES_PER_SHOW) throw new AppError('at_capacity', 'Too many nodes pipe this show.');
    const transport = await createPipe(room.router, this.#listen);
    const served: Served = { showId, node, transport, consumers: new Map(), seen: Date.now() };
    this.#served.set(transport.id, served);
    transport.observer.once('close', () => this.#served.delete(transport.id));
    try {
      await connectPipe(transport, endpoint);
      await this.#consumeNew(room, served);
      const producers = [...served.consumers.values()].map(piped);
      log.info({ show: showId, node, producers: producers.length }, 'piping a show to another node');
      return { pipeId: transport.id, endpoint: endpointOf(transport), producers };
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  async #sync({ pipeId, have }: { pipeId: string; have: string[] }, node: string): Promise<unknown> {
    const served = this.#served.get(pipeId);
    if (!served || served.node !== node) throw new AppError('not_found', 'No such pipe.');
    served.seen = Date.now();
    const room = await this.#rooms.find(served.showId)?.catch(() => undefined);
    if (!room || room.closed) throw new AppError('not_found', 'This node does not publish that show.');
    await this.#consumeNew(room, served);
    // Whatever the node lacks, also what it failed to take before.
    const add = [...served.consumers.values()].filter((c) => !have.includes(c.producerId)).map(piped);
    const live = [...room.localProducers()].filter((p) => !p.closed).map((p) => ({ id: p.id, paused: p.paused }));
    return { add, live };
  }

  /** A pipe consumer for each of the room's own producers the pipe does not carry yet. */
  async #consumeNew(room: Room, served: Served): Promise<void> {
    for (const producer of [...room.localProducers()]) {
      if (producer.closed || served.consumers.has(producer.id)) continue;
      const consumer = await served.transport.consume({ producerId: producer.id });
      served.consumers.set(producer.id, consumer);
      consumer.observer.once('close', () => served.consumers.delete(producer.id));
    }
  }
}

function piped(consumer: types.Consumer): PipedProducer {
  return { id: consumer.producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>, paused: consumer.producerPaused };
}
