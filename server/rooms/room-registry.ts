import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { logger } from '../log.ts';
import type { Config } from '../config.ts';
import type { WorkerPool } from '../sfu/worker-pool.ts';
import type { Shows } from '../shows/shows.ts';
import { Room } from './room.ts';

const log = logger('rooms');

export interface RoomRegistryEvents extends Record<string, unknown[]> {
  roomOpened: [room: Room];
  roomClosed: [room: Room, reason: string];
}

/** One Room per live or scheduled show, created on first join and closed when the show ends. */
export class RoomRegistry extends TypedEmitter<RoomRegistryEvents> {
  readonly #rooms = new Map<string, Promise<Room>>();
  readonly #up = new Set<Room>();
  readonly #pool: WorkerPool;
  readonly #rtc: Config['mediasoup'];

  readonly #maxConsumersPerWorker: number;

  constructor(opts: { pool: WorkerPool; shows: Shows; rtc: Config['mediasoup']; maxConsumersPerWorker?: number }) {
    super();
    this.#pool = opts.pool;
    this.#rtc = opts.rtc;
    this.#maxConsumersPerWorker = opts.maxConsumersPerWorker ?? Infinity;
    opts.shows.on('statusChanged', (showId, status) => {
      const room = this.#rooms.get(showId);
      if (!room) return;
      void room.then((r) => {
        r.broadcast('showStatus', { showId, status });
        if (status === 'ended') r.close('ended');
      });
    });
  }

  /** The show's room, created on a worker with the fewest rooms if there is none. */
  get(showId: string): Promise<Room> {
    let pending = this.#rooms.get(showId);
    if (!pending) {
      pending = this.#open(showId);
      this.#rooms.set(showId, pending);
      pending.catch(() => this.#rooms.delete(showId));
    }
    return pending;
  }

  find(showId: string): Promise<Room> | undefined {
    return this.#rooms.get(showId);
  }

  /** True when the room's mediasoup worker carries as many consumers as it is allowed: new viewers go to LL-HLS. */
  atCapacity(room: Room): boolean {
    let consumers = 0;
    for (const r of this.#up) if (r.worker === room.worker) for (const p of r.peers()) consumers += p.consumers.size;
    return consumers >= this.#maxConsumersPerWorker;
  }

  /** Rooms that are up right now (for metrics). */
  open(): ReadonlySet<Room> {
    return this.#up;
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.#rooms.values());
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close('shutdown');
  }

  async #open(showId: string): Promise<Room> {
    const worker = await this.#pool.liveWorker();
    this.#pool.retain(worker);
    let room: Room;
    try {
      room = await Room.create({ showId, worker, rtc: this.#rtc });
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
