/**
 * Splits a fragmented MP4 byte stream (FFmpeg with
 * `-movflags frag_keyframe+empty_moov+default_base_moof -frag_duration N`)
 * into its init segment (ftyp+moov) and its fragments (moof+mdat), each of
 * which becomes one LL-HLS part. Timing and keyframe flags come from the
 * fragment headers, so no sample data is decoded.
 */
import { BoxReader, children, concat, Cursor, findChild, findPath, Mp4Error, payloadOf, type Box } from './boxes.ts';
import { describeSampleEntry } from './codecs.ts';

export interface TrackInfo {
  id: number;
  kind: 'video' | 'audio' | 'other';
  /** Ticks per second of this track's decode times and sample durations (mdhd). */
  timescale: number;
  /** RFC 6381 codec string, e.g. `avc1.64001f` or `mp4a.40.2`. */
  codec: string;
  width?: number;
  height?: number;
}

export interface InitSegment {
  /** ftyp + moov (plus any boxes that preceded moov), served as EXT-X-MAP. */
  bytes: Uint8Array;
  tracks: TrackInfo[];
}

export interface Fragment {
  /** moof + mdat, with any boxes (styp, emsg, prft) that came just before the moof. */
  bytes: Uint8Array;
  /** The track timing and keyframe flags are taken from: video if present. */
  trackId: number;
  timescale: number;
  /** Base media decode time (tfdt) in `timescale` ticks. */
  decodeTime: number;
  /** Sum of the track's sample durations in the fragment, in seconds. */
  duration: number;
  /** The first sample is a sync sample, so a decoder can start here. */
  independent: boolean;
  sampleCount: number;
}

export type Fmp4Event = { type: 'init'; init: InitSegment } | { type: 'fragment'; fragment: Fragment };

interface SampleDefaults {
  duration: number;
  flags: number;
}

const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
const TFHD_DEFAULT_DURATION = 0x8;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_SAMPLE_DURATION = 0x100;
const TRUN_SAMPLE_SIZE = 0x200;
const TRUN_SAMPLE_FLAGS = 0x400;
const TRUN_SAMPLE_CTO = 0x800;

/** ISO 14496-12 §8.8.3.1 sample flags: sample_depends_on and sample_is_non_sync_sample. */
export function isSyncSample(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3;
  if (dependsOn === 2) return true; // depends on no other sample: an I-frame
  if (dependsOn === 1) return false;
  return ((flags >>> 16) & 0x1) === 0;
}

export class Fmp4Parser {
  private readonly reader = new BoxReader();
  /** Boxes seen since the last init or fragment was emitted. */
  private pending: Box[] = [];
  private hasMoof = false;
  private tracks: TrackInfo[] = [];
  private trex = new Map<number, SampleDefaults>();

  /** Feeds the next chunk of the stream; returns whatever it completed, in order. */
  push(chunk: Uint8Array): Fmp4Event[] {
    const events: Fmp4Event[] = [];
    for (const box of this.reader.push(chunk)) {
      const event = this.onBox(box);
      if (event) events.push(event);
    }
    return events;
  }

  private onBox(box: Box): Fmp4Event | null {
    switch (box.type) {
      case 'moov': {
        const init = this.readInit(box);
        return { type: 'init', init };
      }
      case 'moof':
        if (this.tracks.length === 0) throw new Mp4Error('moof before moov: stream is missing its init segment');
        if (this.hasMoof) throw new Mp4Error('moof without mdat');
        this.hasMoof = true;
        this.pending.push(box);
        return null;
      case 'mdat': {
        if (!this.hasMoof) throw new Mp4Error('mdat without moof: the stream is not fragmented (need -movflags empty_moov)');
        this.pending.push(box);
        const fragment = this.readFragment();
        return { type: 'fragment', fragment };
      }
      case 'mfra':
        return null; // random-access index FFmpeg appends at exit; useless for a live stream
      case 'ftyp':
        this.pending = [box]; // a new init segment begins (encoder output concatenated)
        this.hasMoof = false;
        return null;
      default:
        this.pending.push(box);
        return null;
    }
  }

  private readInit(moov: Box): InitSegment {
    this.tracks = [];
    this.trex.clear();
    for (const box of children(moov)) {
      if (box.type === 'trak') this.tracks.push(readTrack(box));
      if (box.type === 'mvex') {
        for (const t of children(box)) {
          if (t.type !== 'trex') continue;
          const c = new Cursor(payloadOf(t));
          c.fullBox();
          const id = c.u32();
          c.skip(4); // default_sample_description_index
          const duration = c.u32();
          c.skip(4); // default_sample_size
          this.trex.set(id, { duration, flags: c.u32() });
        }
      }
    }
    if (this.tracks.length === 0) throw new Mp4Error('moov has no tracks');
    const bytes = concat([...this.pending.map((b) => b.bytes), moov.bytes]);
    this.pending = [];
    return { bytes, tracks: this.tracks.slice() };
  }

  private readFragment(): Fragment {
    const moof = this.pending.find((b) => b.type === 'moof')!;
    const trafs = children(moof).filter((b) => b.type === 'traf');
    const runs = trafs.map((traf) => this.readTraf(traf));
    const videoIds = new Set(this.tracks.filter((t) => t.kind === 'video').map((t) => t.id));
    const run = runs.find((r) => videoIds.has(r.trackId)) ?? runs[0];
    if (!run) throw new Mp4Error('moof has no traf');
    const track = this.tracks.find((t) => t.id === run.trackId);
    if (!track) throw new Mp4Error(`moof refers to unknown track ${run.trackId}`);
    const bytes = concat(this.pending.map((b) => b.bytes));
    this.pending = [];
    this.hasMoof = false;
    return {
      bytes,
      trackId: track.id,
      timescale: track.timescale,
      decodeTime: run.decodeTime,
      duration: run.durationTicks / track.timescale,
      independent: run.independent,
      sampleCount: run.sampleCount
    };
  }

  private readTraf(traf: Box): {
    trackId: number;
    decodeTime: number;
    durationTicks: number;
    independent: boolean;
    sampleCount: number;
  } {
    const tfhdBox = findChild(traf, 'tfhd');
    if (!tfhdBox) throw new Mp4Error('traf without tfhd');
    const h = new Cursor(payloadOf(tfhdBox));
    const { flags: tfhdFlags } = h.fullBox();
    const trackId = h.u32();
    // Absolute offsets would point into FFmpeg's output file, not into the part we serve.
    if (tfhdFlags & TFHD_BASE_DATA_OFFSET) throw new Mp4Error('tfhd uses base-data-offset; run FFmpeg with -movflags default_base_moof');
    if (tfhdFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) h.skip(4);
    const trex = this.trex.get(trackId) ?? { duration: 0, flags: 0 };
    const defaultDuration = tfhdFlags & TFHD_DEFAULT_DURATION ? h.u32() : trex.duration;
    if (tfhdFlags & TFHD_DEFAULT_SIZE) h.skip(4);
    const defaultFlags = tfhdFlags & TFHD_DEFAULT_FLAGS ? h.u32() : trex.flags;

    const tfdtBox = findChild(traf, 'tfdt');
    if (!tfdtBox) throw new Mp4Error('traf without tfdt');
    const d = new Cursor(payloadOf(tfdtBox));
    const decodeTime = d.fullBox().version === 1 ? d.u64() : d.u32();

    let durationTicks = 0;
    let sampleCount = 0;
    let firstFlags: number | undefined;
    for (const trun of children(traf).filter((b) => b.type === 'trun')) {
      const c = new Cursor(payloadOf(trun));
      const { flags } = c.fullBox();
      const count = c.u32();
      if (flags & TRUN_DATA_OFFSET) c.skip(4);
      const firstSampleFlags = flags & TRUN_FIRST_SAMPLE_FLAGS ? c.u32() : undefined;
      for (let i = 0; i < count; i++) {
        const duration = flags & TRUN_SAMPLE_DURATION ? c.u32() : defaultDuration;
        if (flags & TRUN_SAMPLE_SIZE) c.skip(4);
        const sampleFlags = flags & TRUN_SAMPLE_FLAGS ? c.u32() : undefined;
        if (flags & TRUN_SAMPLE_CTO) c.skip(4);
        if (sampleCount === 0 && i === 0) firstFlags = firstSampleFlags ?? sampleFlags ?? defaultFlags;
        durationTicks += duration;
      }
      sampleCount += count;
    }
    return {
      trackId,
      decodeTime,
      durationTicks,
      independent: firstFlags !== undefined && isSyncSample(firstFlags),
      sampleCount
    };
  }
}

function readTrack(trak: Box): TrackInfo {
  const tkhd = findChild(trak, 'tkhd');
  const mdhd = findPath(trak, ['mdia', 'mdhd']);
  const hdlr = findPath(trak, ['mdia', 'hdlr']);
  const stsd = findPath(trak, ['mdia', 'minf', 'stbl', 'stsd']);
  if (!tkhd || !mdhd || !hdlr || !stsd) throw new Mp4Error('trak is missing tkhd, mdhd, hdlr or stsd');

  const t = new Cursor(payloadOf(tkhd));
  t.skip(t.fullBox().version === 1 ? 16 : 8); // creation and modification times
  const id = t.u32();

  const m = new Cursor(payloadOf(mdhd));
  m.skip(m.fullBox().version === 1 ? 16 : 8);
  const timescale = m.u32();
  if (timescale === 0) throw new Mp4Error(`track ${id} has timescale 0`);

  const h = new Cursor(payloadOf(hdlr));
  h.fullBox();
  h.skip(4); // pre_defined
  const handler = String.fromCharCode(h.u8(), h.u8(), h.u8(), h.u8());
  const kind = handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other';

  return { id, kind, timescale, ...describeSampleEntry(stsd) };
}
