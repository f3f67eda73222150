/**
 * Keeps the whole show on disk as it streams: every complete segment of every
 * rendition, its init segment and an index line, so the VOD playlists can be
 * written when the show ends (or rebuilt later from the index). Layout:
 * `<dir>/<rendition>/{init-N.mp4,seg-N.m4s,index.jsonl,vod.m3u8}`,
 * `<dir>/master.m3u8` (the VOD's multivariant playlist), `<dir>/poster.jpg` and, when the show
 * had captions, `<dir>/subtitles/` (see vod-subtitles.ts).
 * Numbering continues across runs (a show whose room came back after its
 * media worker died), the first segment of a later run marked discontinuous.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CaptionCue } from '#shared/captions.ts';
import type { Logger } from '../../log.ts';
import { concat, sameBytes } from '../format/boxes.ts';
import { Fmp4Parser, type TrackInfo } from '../format/fmp4.ts';
import { variantStream, type Rendition } from './ladder.ts';
import type { MediaPlaylist } from '../format/media-playlist.ts';
import type { Segment } from '../format/segment.ts';
import { renderVodPlaylist } from '../format/media-render.ts';
import { renderMultivariantPlaylist } from '../format/multivariant-playlist.ts';
import { initUri, segmentUri } from '../format/uris.ts';
import { SUBTITLES_GROUP } from './caption-track.ts';
import { recordCue, writeVodSubtitles } from './vod-subtitles.ts';

export const VOD_PLAYLIST = 'vod.m3u8';
export const VOD_MASTER = 'master.m3u8';
export const POSTER = 'poster.jpg';
const INDEX = 'index.jsonl';

export interface IndexEntry {
  msn: number;
  duration: number;
  discontinuity: boolean;
  programDateTime: number;
  initId: number;
  /** Media time of the segment's first sample, seconds (maps captions onto it). */
  mediaTime?: number;
}

interface Track {
  rendition: Rendition;
  dir: string;
  nextMsn: number;
  /** Next init file number, and the bytes of the newest one written. */
  nextInit: number;
  init: Uint8Array | null;
  /** Newest live-playlist segment already taken. */
  seenMsn: number;
  /** The index has segments from an earlier run that this run's first one must be marked discontinuous with. */
  continuesEarlierRun: boolean;
}

export interface RecorderOptions {
  /** The show's recording directory. */
  dir: string;
  frameRate: number;
  ffmpegPath: string;
  log: Logger;
}

export class Recorder {
  readonly #o: RecorderOptions;
  readonly #tracks: Track[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  /** Disk writes in order; a failed write is logged and the rest go on. */
  #queue: Promise<void> = Promise.resolve();
  #posterTaken = false;

  constructor(opts: RecorderOptions) {
    this.#o = opts;
  }

  /** Records `playlist`'s segments as they complete. */
  async track(rendition: Rendition, playlist: MediaPlaylist): Promise<void> {
    const dir = path.join(this.#o.dir, rendition.name);
    await fs.mkdir(dir, { recursive: true });
    const existing = await readIndex(dir);
    if (existing.length > 0) await repairIndex(dir, existing);
    const last = existing[existing.length - 1];
    const track: Track = {
      rendition,
      dir,
      nextMsn: last ? last.msn + 1 : 0,
      nextInit: last ? last.initId + 1 : 0,
      init: null,
      seenMsn: -1,
      continuesEarlierRun: last !== undefined
    };
    this.#tracks.push(track);
    this.#posterTaken ||= await exists(path.join(this.#o.dir, POSTER));
    this.#unsubscribe.push(
      playlist.subscribe(() => {
        for (const seg of playlist.listed()) {
          if (!seg.complete || seg.msn <= track.seenMsn) continue;
          track.seenMsn = seg.msn;
          const init = playlist.resource(initUri(seg.initId))!;
          const bytes = playlist.resource(segmentUri(seg.msn))!;
          this.#enqueue(() => this.#write(track, seg, init, bytes));
        }
      })
    );
  }

  /** Keeps a final caption for the replay's subtitles. */
  caption(cue: CaptionCue): void {
    this.#enqueue(() => recordCue(this.#o.dir, cue));
  }

  /** Waits for pending writes, then writes each rendition's VOD playlist, the subtitles and the VOD master. */
  async finish(): Promise<void> {
    for (const u of this.#unsubscribe.splice(0)) u();
    await this.#queue;
    const recorded: { track: Track; entries: IndexEntry[] }[] = [];
    for (const track of this.#tracks) {
      const entries = await readIndex(track.dir);
      if (entries.length > 0) recorded.push({ track, entries });
    }
    if (recorded.length === 0) return;
    // One target duration for every rendition (RFC 8216bis §6.2.4).
    const targetDuration = Math.max(1, ...recorded.flatMap((r) => r.entries.map((e) => Math.round(e.duration))));
    const variants = [];
    for (const { track, entries } of recorded) {
      const segments: Segment[] = entries.map((e) => ({ ...e, parts: [], complete: true }));
      await fs.writeFile(path.join(track.dir, VOD_PLAYLIST), renderVodPlaylist(segments, { targetDuration }));
      const lastInit = await fs.readFile(path.join(track.dir, initUri(entries[entries.length - 1]!.initId)));
      variants.push(variantStream(track.rendition, tracksOf(lastInit), `${track.rendition.name}/${VOD_PLAYLIST}`, this.#o.frameRate));
    }
    // Subtitle segments follow the first rendition's, which every rendition shares.
    const subtitles = await writeVodSubtitles(this.#o.dir, recorded[0]!.entries, { targetDuration, playlist: VOD_PLAYLIST });
    const subtitlesGroup = subtitles ? SUBTITLES_GROUP : undefined;
    await fs.writeFile(
      path.join(this.#o.dir, VOD_MASTER),
      renderMultivariantPlaylist(
        variants.map((v) => ({ ...v, subtitlesGroup })),
        [],
        subtitles ? [subtitles] : []
      )
    );
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((err: unknown) => this.#o.log.error({ err }, 'recording write failed'));
  }

  async #write(track: Track, seg: Segment, init: Uint8Array, bytes: Uint8Array): Promise<void> {
    const newInit = !track.init || !sameBytes(track.init, init);
    if (newInit) {
      await fs.writeFile(path.join(track.dir, initUri(track.nextInit)), init);
      track.init = init;
      track.nextInit += 1;
    }
    const entry: IndexEntry = {
      msn: track.nextMsn++,
      duration: seg.duration,
      discontinuity: seg.discontinuity || track.continuesEarlierRun,
      programDateTime: seg.programDateTime,
      initId: track.nextInit - 1,
      mediaTime: seg.mediaTime
    };
    track.continuesEarlierRun = false;
    await fs.writeFile(path.join(track.dir, segmentUri(entry.msn)), bytes);
    await fs.appendFile(path.join(track.dir, INDEX), JSON.stringify(entry) + '\n');
    if (!this.#posterTaken && track === this.#tracks[0]) {
      this.#posterTaken = true;
      await this.#grabPoster(concat([init, bytes]));
    }
  }

  /** The first frame of the first segment as a JPEG, for show cards and the VOD's poster. */
  async #grabPoster(mp4: Uint8Array): Promise<void> {
    const file = path.join(this.#o.dir, POSTER);
    const tmp = `${file}.${process.pid}.tmp`;
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-y', tmp];
    const ok = await new Promise<boolean>((resolve) => {
      const child = spawn(this.#o.ffmpegPath, args, { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
      child.stdin.on('error', () => {}); // FFmpeg may stop reading once it has its frame
      child.stdin.end(mp4);
    });
    if (ok) await fs.rename(tmp, file);
    else this.#o.log.warn('could not grab a poster frame');
  }
}

/** The rendition's index: one entry per recorded segment, in order. */
export async function readIndex(dir: string): Promise<IndexEntry[]> {
  const text = await fs.readFile(path.join(dir, INDEX), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as IndexEntry];
      } catch {
        return []; // a crash can leave a torn last line; everything before it is intact
      }
    });
}

/** Rewrites the index from its readable entries, so appends never continue a torn line. */
async function repairIndex(dir: string, entries: readonly IndexEntry[]): Promise<void> {
  await fs.writeFile(path.join(dir, INDEX), entries.map((e) => JSON.stringify(e) + '\n').join(''));
}

function tracksOf(init: Uint8Array): TrackInfo[] {
  for (const e of new Fmp4Parser().push(init)) if (e.type === 'init') return e.init.tracks;
  return [];
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false
  );
}
