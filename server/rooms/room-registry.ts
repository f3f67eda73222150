import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';
import type { Config } from '../config.ts';
import type { WorkerPool } from '../sfu/worker-pool.ts';
import { WorkerSeats } from '../sfu/worker-seats.ts';
import type { MediaMode } from '#shared/media.ts';
import { Room, type ViewerTotal } from './room.ts';
import type { Seating } from './show-routers.ts';

const log = logger('rooms');

export interface ViewerSeat {
  worker: types.Worker;
  release: () => void;
  consumed: () => (() => void) | null;
}

export interface RoomRegistryEvents extends Record<string, unknown[]> {
  roomOpened: [room: Room];
  roomClosed: [room: Room, reason: string];
}

/** One Room per live or scheduled show, created on first join; closed when the show ends, its worker dies or at shutdown. */
export class RoomRegistry extends TypedEmitter<RoomRegistryEvents> {
  readonly #rooms = new Map<string, Promise<Room>>();
  readonly #up = new Set<Room>();
  readonly #pool: WorkerPool;
  readonly #rtc: Config['mediasoup'];
  readonly #seating: Seating;
  readonly #viewerTotal: ViewerTotal | undefined;
  #mediaReady: (room: Room) => Promise<void> = () => Promise.resolve();

  constructor(opts: { pool: WorkerPool; rtc: Config['mediasoup']; maxConsumersPerWorker?: number; viewerTotal?: ViewerTotal }) {
    super();
    this.#viewerTotal = opts.viewerTotal;
    this.#pool = opts.pool;
    this.#rtc = opts.rtc;
    const pool = opts.pool;
    this.#seating = { workers: () => pool.workers, seats: new WorkerSeats(opts.maxConsumersPerWorker) };
  }

  /** The show's room, created on a worker with the fewest rooms if there is none. */
  get(showId: string): Promise<Room> {
    let pending = this.#rooms.get(showId);
    if (!pending) {
      pending = this.#create(showId);
      this.#rooms.set(showId, pending);
      pending.catch(() => this.#rooms.delete(showId));
    }
    return pending;
  }

  /** In a cluster, what brings a show published on another node into its room here (see PipeRelay). */
  setMediaReady(ready: (room: Room) => Promise<void>): void {
    this.#mediaReady = ready;
  }

  /** Resolves once the room has the show's media, or soon if it cannot get it yet; a viewer's join waits on it. */
  mediaReady(room: Room): Promise<void> {
    return this.#mediaReady(room);
  }

  /** The show's room if it is open or opening; never creates one. */
  find(showId: string): Promise<Room> | undefined {
    return this.#rooms.get(showId);
  }

  /** True when every mediasoup worker carries as many consumers as it is allowed: new viewers go to LL-HLS. */
  atCapacity(): boolean {
    return this.#seating.seats.allFull(this.#pool.workers);
  }

  /**
   * A seat for a viewer the room does not connect itself (a WHEP player), counted with the room's own:
   * the worker with the most room (`prefer` on a tie), or null when every worker is full. `consumed`
   * counts one consumer on it and returns its release, or null when the worker is full.
   */
  seatViewer(prefer: types.Worker): ViewerSeat | null {
    const seats = this.#seating.seats;
    const worker = seats.choose(this.#pool.workers, (w) => w === prefer);
    if (!worker) return null;
    return { worker, release: seats.seat(worker), consumed: () => (seats.full(worker) ? null : seats.consumed(worker)) };
  }

  /** The WebRTC viewers seated on each live worker, over every show. */
  workerViewers(): { pid: number; viewers: number }[] {
    return this.#pool.workers.filter((w) => !w.closed).map((w) => ({ pid: w.pid, viewers: this.#seating.seats.viewers(w) }));
  }

  /** Rooms that are up right now. */
  openRooms(): ReadonlySet<Room> {
    return this.#up;
  }

  /** How the viewers in the show's room watch, as they reported (nothing without a room). */
  mediaModes(showId: string): Set<MediaMode> {
    const modes = new Set<MediaMode>();
    for (const room of this.#up) {
      if (room.showId !== showId) continue;
      for (const p of room.peers()) if (p.role === 'viewer') modes.add(p.mediaMode);
    }
    return modes;
  }

  /** Sends what every room has coalesced now (at shutdown, before the sockets close). */
  flushAll(): void {
    for (const room of this.#up) {
      room.fanout.flush();
      room.studioFanout.flush();
    }
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.#rooms.values());
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close('shutdown');
  }

  async #create(showId: string): Promise<Room> {
    const worker = await this.#pool.liveWorker();
    this.#pool.retain(worker);
    let room: Room;
    try {
      room = await Room.create({ showId, worker, rtc: this.#rtc, viewerTotal: this.#viewerTotal, seating: this.#seating });
    } catch (err) {
      this.#pool.release(worker);
      throw worker.closed ? mediaUnavailable() : err;
    }
    if (worker.closed) {
      // The worker died while the router was being made: the room would never hear of it.
      room.close('mediaLost');
      this.#pool.release(worker);
      throw mediaUnavailable();
    }
    this.#up.add(room);
    room.once('closed', (reason) => {
      this.#up.delete(room);
      this.#pool.release(worker);
      this.#rooms.delete(showId);
      this.emit('roomClosed', room, reason);
    });
    log.info({ show: showId, worker: worker.pid }, 'room opened');
    this.emit('roomOpened', room);
    return room;
  }
}

function mediaUnavailable(): AppError {
  return new AppError('media_unavailable', 'No media server is available right now.');
}
