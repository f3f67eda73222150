import { logger } from '../log.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { Shows } from '../shows/shows.ts';
import { TestPatternSource } from './test-pattern-source.ts';

const log = logger('demo-show');
/** First delay before republishing after the room's worker died, doubling per failed attempt up to the maximum. */
const RESTART_BASE_MS = 200;
const RESTART_MAX_MS = 10_000;

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
    const show = await this.#shows.findDemo();
    if (!show || this.#stopped) return;
    const room = await this.#rooms.get(show.id);
    this.#source = await TestPatternSource.attach(room, this.#ffmpegPath);
    log.info({ show: show.id }, 'demo source publishing');
    room.once('closed', (reason) => {
      this.#source = null;
      if (reason === 'mediaLost') this.#restart(0);
    });
  }

  /** Tries again until it publishes: the replacement worker may not be up yet, or die in turn. */
  #restart(attempt: number): void {
    if (this.#stopped) return;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** attempt);
    setTimeout(() => {
      this.start().catch((err: unknown) => {
        log.error({ err, attempt }, 'demo restart failed; trying again');
        this.#restart(attempt + 1);
      });
    }, delay);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#source?.stop();
  }
}
