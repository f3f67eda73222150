/**
 * Runs live captions on the node that holds a show's media, following rooms the way the LL-HLS
 * service does: a room's local audio producer (the newest open one) is tapped while the show has
 * captions on in a language the engine offers. At most one captioner per show and CAPTIONS_MAX_STREAMS
 * per node; a show beyond the cap goes without captions (logged and counted) until a slot frees.
 * A show whose audio goes away (a host reconnecting) keeps its speech stream for LINGER_MS.
 */
import type { types } from 'mediasoup';
import { logger } from '../log.ts';
import * as metrics from '../metrics/metrics.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { isPiped } from '../rooms/show-routers.ts';
import type { CaptionSettings } from '#shared/captions.ts';
import type { Captions } from './captions.ts';
import type { SpeechToText } from './engines/speech-to-text.ts';
import { ShowCaptioner } from './show-captioner.ts';

const log = logger('captions');

export interface CaptionServiceOptions {
  registry: RoomRegistry;
  captions: Captions;
  engine: SpeechToText;
  ffmpegPath: string;
  maxStreams: number;
  /** How long a show whose audio producer closed keeps its speech stream for a new one (default LINGER_MS). */
  lingerMs?: number;
  /**
   * Told the settings of a show with audio here when first read and whenever they change, so its
   * LL-HLS stream here follows them: in a cluster the change may be committed on another node.
   */
  onSettings?: (showId: string, settings: CaptionSettings) => void;
}

/** A host's reconnect takes seconds; a show whose audio stays away this long gives its slot back. */
const LINGER_MS = 30_000;
/**
 * Settings are re-read this often, in one query, for shows with audio here: in a cluster the host's
 * change may be committed on another node, whose `settings` event this node does not hear.
 */
const SETTINGS_POLL_MS = 5_000;

interface Watch {
  room: Room;
  onProducer: (p: types.Producer) => void;
  /** A sync is under way; another one is wanted after it. */
  busy: boolean;
  again: boolean;
  /** Stops the captioner of a show left without audio. */
  linger?: NodeJS.Timeout;
  /** The settings last acted on. */
  settings?: CaptionSettings;
}

export class CaptionService {
  readonly #o: CaptionServiceOptions;
  readonly #watches = new Map<string, Watch>();
  readonly #captioners = new Map<string, ShowCaptioner>();
  /** Shows refused for want of a slot, tried again when one frees. */
  readonly #waiting = new Set<string>();
  #refused = 0;
  #closed = false;
  readonly #poll: NodeJS.Timeout;
  #polling = false;

  constructor(opts: CaptionServiceOptions) {
    this.#o = opts;
    opts.registry.on('roomOpened', this.#onRoomOpened);
    opts.registry.on('roomClosed', this.#onRoomClosed);
    opts.captions.on('settings', this.#onSettings);
    for (const room of opts.registry.openRooms()) this.#onRoomOpened(room);
    this.#poll = setInterval(() => void this.#pollSettings(), SETTINGS_POLL_MS);
    this.#poll.unref();
  }

  /** The show's captioner, for tests and diagnostics. */
  captioner(showId: string): ShowCaptioner | undefined {
    return this.#captioners.get(showId);
  }

  /** Shows this node is captioning now. */
  get running(): number {
    return this.#captioners.size;
  }

  /** Times a show was left without captions because every slot was taken. */
  get refused(): number {
    return this.#refused;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    const { registry, captions } = this.#o;
    registry.off('roomOpened', this.#onRoomOpened);
    registry.off('roomClosed', this.#onRoomClosed);
    captions.off('settings', this.#onSettings);
    for (const w of this.#watches.values()) {
      w.room.off('producerAdded', w.onProducer);
      clearTimeout(w.linger);
    }
    this.#watches.clear();
    await Promise.all([...this.#captioners.values()].map((c) => c.close()));
    this.#captioners.clear();
  }

  readonly #onRoomOpened = (room: Room): void => {
    if (this.#closed) return;
    const watch: Watch = { room, busy: false, again: false, onProducer: (p) => this.#observe(watch, p) };
    const earlier = this.#watches.get(room.showId);
    earlier?.room.off('producerAdded', earlier.onProducer);
    clearTimeout(earlier?.linger);
    this.#watches.set(room.showId, watch);
    room.on('producerAdded', watch.onProducer);
    for (const p of room.localProducers()) this.#observe(watch, p);
  };

  readonly #onRoomClosed = (room: Room): void => {
    const watch = this.#watches.get(room.showId);
    if (watch?.room !== room) return;
    room.off('producerAdded', watch.onProducer);
    clearTimeout(watch.linger);
    this.#watches.delete(room.showId);
    this.#waiting.delete(room.showId);
    void this.#stop(room.showId);
  };

  /** Syncs the shows with audio here whose settings changed since they were last acted on. */
  async #pollSettings(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const watches = [...this.#watches.values()].filter((w) => newestAudio(w.room));
      if (watches.length === 0) return;
      const now = await this.#o.captions.settingsOf(watches.map((w) => w.room.showId));
      for (const w of watches) if (!sameSettings(w.settings, now.get(w.room.showId)!)) this.#sync(w);
    } catch (err) {
      log.error({ err }, 'caption settings poll failed');
    } finally {
      this.#polling = false;
    }
  }

  readonly #onSettings = (showId: string): void => {
    const watch = this.#watches.get(showId);
    if (watch) this.#sync(watch);
  };

  #observe(watch: Watch, producer: types.Producer): void {
    // Only the origin transcribes: a node piping the show in gets the cues through the room bus.
    if (producer.kind !== 'audio' || isPiped(producer)) return;
    producer.observer.once('close', () => this.#sync(watch));
    this.#sync(watch);
  }

  /** Brings the show's captioner in line with its room and settings; runs one at a time per show. */
  #sync(watch: Watch): void {
    // A room that was replaced or closed: its successor's watch acts for the show.
    if (this.#watches.get(watch.room.showId) !== watch) return;
    if (watch.busy) {
      watch.again = true;
      return;
    }
    watch.busy = true;
    void this.#apply(watch)
      .catch((err: unknown) => log.error({ err, show: watch.room.showId }, 'captions start failed'))
      .finally(() => {
        watch.busy = false;
        if (watch.again && !this.#closed) {
          watch.again = false;
          this.#sync(watch);
        }
      });
  }

  async #apply(watch: Watch): Promise<void> {
    const { room } = watch;
    const showId = room.showId;
    const producer = newestAudio(room);
    const settings = await this.#o.captions.settings(showId);
    if (this.#watches.get(showId) !== watch) return;
    if (!sameSettings(watch.settings, settings) && !this.#closed) {
      watch.settings = settings;
      this.#o.onSettings?.(showId, settings);
    }
    const wanted = !this.#closed && !room.closed && settings.enabled && this.#o.engine.languages().includes(settings.language);
    let captioner = this.#captioners.get(showId);
    if (captioner && (!wanted || captioner.language !== settings.language)) {
      await this.#stop(showId);
      captioner = undefined;
    }
    if (!wanted) {
      this.#waiting.delete(showId);
      return;
    }
    clearTimeout(watch.linger);
    if (!producer) {
      this.#waiting.delete(showId);
      // The host's audio went away, usually to come back on a reconnect: the speech stream waits for it a while.
      if (!captioner) return;
      await captioner.setSource(room.router, null);
      watch.linger = setTimeout(() => {
        if (!newestAudio(room)) void this.#stop(showId);
      }, this.#o.lingerMs ?? LINGER_MS);
      return;
    }
    if (!captioner) {
      if (this.#captioners.size >= this.#o.maxStreams) {
        // Counted and logged once per wait, not on every re-check.
        if (this.#waiting.has(showId)) return;
        this.#refused += 1;
        this.#waiting.add(showId);
        metrics.captionStreamsRefused.inc();
        log.warn({ show: showId, maxStreams: this.#o.maxStreams }, 'every caption slot is taken; show goes without captions');
        return;
      }
      this.#waiting.delete(showId);
      captioner = new ShowCaptioner({
        showId,
        language: settings.language,
        engine: this.#o.engine,
        sink: this.#o.captions,
        ffmpegPath: this.#o.ffmpegPath,
        log: log.child({ show: showId })
      });
      this.#captioners.set(showId, captioner);
      log.info({ show: showId, language: settings.language, engine: this.#o.engine.name }, 'captions started');
    }
    try {
      await captioner.setSource(room.router, producer);
    } catch (err) {
      // A tap that could not open must not hold a slot and an engine: forgetting the settings acted on
      // makes the next settings poll try again.
      watch.settings = undefined;
      await this.#stop(showId);
      throw err;
    }
  }

  async #stop(showId: string): Promise<void> {
    const captioner = this.#captioners.get(showId);
    if (!captioner) return;
    this.#captioners.delete(showId);
    await captioner.close();
    log.info({ show: showId }, 'captions stopped');
    // A slot is free: every show waiting is looked at again, and the first still wanting captions gets it.
    for (const waiting of [...this.#waiting]) {
      const watch = this.#watches.get(waiting);
      if (watch) this.#sync(watch);
      else this.#waiting.delete(waiting);
    }
  }
}

function sameSettings(a: CaptionSettings | undefined, b: CaptionSettings): boolean {
  return a?.enabled === b.enabled && a.language === b.language;
}

/** The newest open audio producer published on this node, or null. */
function newestAudio(room: Room): types.Producer | null {
  let audio: types.Producer | null = null;
  for (const p of room.localProducers()) if (p.kind === 'audio' && !p.closed) audio = p;
  return audio;
}
