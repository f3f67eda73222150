import { logger } from '../log.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { TestPatternSource } from './test-pattern-source.ts';

const log = logger('demo-show');

/**
 * Keeps the seeded demo show publishing: attaches the test-pattern source to its room
 * at start, and again whenever the room is rebuilt after a mediasoup worker died.
 */
export class DemoShow {
  readonly #shows: Shows;
  readonly #rooms: RoomRegistry;
  readonly #ffmpegPath: string;
  #source: TestPatternSource | null = null;
  #stopped = false;

  constructor(opts: { shows: Shows; rooms: RoomRegistry; ffmpegPath: string }) {
    this.#shows = opts.shows;
    this.#rooms = opts.rooms;
    this.#ffmpegPath = opts.ffmpegPath;
  }

  get source(): TestPatternSource | null {
    return this.#source;
  }

  async start(): Promise<void> {
    const show = this.#shows.findDemo();
    if (!show || this.#stopped) return;
    const room = await this.#rooms.get(show.id);
    this.#source = await TestPatternSource.attach(room, this.#ffmpegPath);
    log.info({ show: show.id }, 'demo source publishing');
    room.once('closed', (reason) => {
      this.#source = null;
      if (reason === 'mediaLost' && !this.#stopped) {
        setTimeout(() => void this.start().catch((err) => log.error({ err }, 'demo restart failed')), 500);
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#source?.stop();
  }
}
