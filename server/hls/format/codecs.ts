/**
 * RFC 6381 codec strings (for the multivariant playlist's CODECS attribute)
 * and picture size, read from a track's sample description (stsd). Covers
 * what FFmpeg produces for this project: H.264 (avc1/avc3), AAC (mp4a) and
 * Opus; anything else falls back to the bare sample-entry fourcc.
 */
import { childBoxes, Cursor, payloadOf, type Box } from './boxes.ts';

export interface SampleEntryInfo {
  codec: string;
  width?: number;
  height?: number;
}

/** Bytes between a visual sample entry's header and its child boxes (ISO 14496-12 §12.1.3). */
const VISUAL_ENTRY_FIELDS = 78;
/** Same for a version-0 audio sample entry (§12.2.3). */
const AUDIO_ENTRY_FIELDS = 28;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function describeSampleEntry(stsd: Box): SampleEntryInfo {
  // stsd is a full box followed by an entry count; the first entry is the one in use.
  const entry = childBoxes(payloadOf(stsd).subarray(8))[0];
  if (!entry) return { codec: 'unknown' };
  const body = payloadOf(entry);
  switch (entry.type) {
    case 'avc1':
    case 'avc3': {
      const c = new Cursor(body);
      c.skip(24);
      const width = c.u16();
      const height = c.u16();
      const avcC = childBoxes(body.subarray(VISUAL_ENTRY_FIELDS)).find((b) => b.type === 'avcC');
      if (!avcC) return { codec: entry.type, width, height };
      // avcC: configurationVersion, then profile, profile compatibility, level.
      const p = payloadOf(avcC);
      return { codec: `${entry.type}.${hex2(p[1]!)}${hex2(p[2]!)}${hex2(p[3]!)}`, width, height };
    }
    case 'mp4a': {
      const esds = childBoxes(body.subarray(AUDIO_ENTRY_FIELDS)).find((b) => b.type === 'esds');
      return { codec: esds ? mp4aCodec(esds) : 'mp4a' };
    }
    case 'Opus':
      return { codec: 'opus' };
    default:
      return { codec: entry.type };
  }
}

/** Reads an MPEG-4 descriptor header: tag and its variable-length size. */
function descriptor(c: Cursor): { tag: number; size: number } {
  const tag = c.u8();
  let size = 0;
  for (let i = 0; i < 4; i++) {
    const b = c.u8();
    size = (size << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  return { tag, size };
}

/** `mp4a.<objectTypeIndication hex>.<audioObjectType>`, e.g. mp4a.40.2 for AAC-LC. */
function mp4aCodec(esds: Box): string {
  const c = new Cursor(payloadOf(esds));
  c.fullBox();
  if (descriptor(c).tag !== 0x03) return 'mp4a';
  c.skip(2); // ES_ID
  const esFlags = c.u8();
  if (esFlags & 0x80) c.skip(2); // dependsOn_ES_ID
  if (esFlags & 0x40) c.skip(c.u8()); // URL
  if (esFlags & 0x20) c.skip(2); // OCR_ES_Id
  if (descriptor(c).tag !== 0x04) return 'mp4a';
  const oti = c.u8();
  c.skip(12); // streamType, bufferSizeDB, maxBitrate, avgBitrate
  if (oti !== 0x40 || descriptor(c).tag !== 0x05) return `mp4a.${hex2(oti)}`;
  // AudioSpecificConfig: 5-bit object type, 31 escapes to 32 + the next 6 bits.
  const b0 = c.u8();
  let aot = b0 >>> 3;
  if (aot === 31) aot = 32 + (((b0 & 0x07) << 3) | (c.u8() >>> 5));
  return `mp4a.40.${aot}`;
}
