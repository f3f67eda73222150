/**
 * ISO BMFF (MP4) box primitives: an incremental reader for top-level boxes
 * arriving in arbitrary chunks, and helpers to walk the children of a box
 * that is already complete in memory.
 */

export interface Box {
  type: string;
  /** The whole box, header included. */
  bytes: Uint8Array;
  /** Offset of the payload (after size, type and any 64-bit size) within `bytes`. */
  headerSize: number;
}

/** Top-level boxes larger than this mean a corrupt stream, not a real fragment. */
const MAX_BOX_SIZE = 256 * 1024 * 1024;

export class Mp4Error extends Error {
  override name = 'Mp4Error';
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Reads size and header length at `at`; `available` bytes may be fewer than the box. */
function readHeader(bytes: Uint8Array, at: number, available: number): { size: number; headerSize: number } | null {
  if (available < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, available);
  const size32 = view.getUint32(0);
  if (size32 === 1) {
    if (available < 16) return null;
    const size = Number(view.getBigUint64(8));
    if (size < 16) throw new Mp4Error(`box '${fourcc(bytes, at + 4)}' has invalid 64-bit size ${size}`);
    return { size, headerSize: 16 };
  }
  // size 0 means "to the end of the file", which a live stream never has.
  if (size32 < 8) throw new Mp4Error(`box '${fourcc(bytes, at + 4)}' has unsupported size ${size32}`);
  return { size: size32, headerSize: 8 };
}

/**
 * Accumulates chunks and hands out whole top-level boxes. Chunks are kept as a
 * list and only joined once a box is complete, so a large mdat delivered in
 * many small pipe reads costs one copy, not one per read.
 */
export class BoxReader {
  private chunks: Uint8Array[] = [];
  private length = 0;

  push(chunk: Uint8Array): Box[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    const boxes: Box[] = [];
    for (;;) {
      const head = this.peek(16);
      const header = readHeader(head, 0, head.length);
      if (!header) break;
      if (header.size > MAX_BOX_SIZE) throw new Mp4Error(`box '${fourcc(head, 4)}' too large: ${header.size}`);
      if (this.length < header.size) break;
      const bytes = this.take(header.size);
      boxes.push({ type: fourcc(bytes, 4), bytes, headerSize: header.headerSize });
    }
    return boxes;
  }

  /** Bytes received but not yet part of a complete box. */
  get pending(): number {
    return this.length;
  }

  /** Up to `n` leading bytes without consuming them. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (!first) return new Uint8Array(0);
    if (first.length >= n || this.chunks.length === 1) return first.subarray(0, n);
    return concat(this.chunks, Math.min(n, this.length));
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    const out = first.length >= n ? first.subarray(0, n) : concat(this.chunks, n);
    // Drop the consumed bytes from the front of the chunk list in one splice,
    // so a box assembled from many tiny reads stays linear.
    let whole = 0;
    let left = n;
    while (left > 0 && this.chunks[whole]!.length <= left) left -= this.chunks[whole++]!.length;
    this.chunks.splice(0, whole);
    if (left > 0) this.chunks[0] = this.chunks[0]!.subarray(left);
    this.length -= n;
    return out;
  }
}

/** Joins the first `n` bytes of `chunks` into one new array. */
export function concat(chunks: readonly Uint8Array[], n = chunks.reduce((s, c) => s + c.length, 0)): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    if (at >= n) break;
    const part = c.subarray(0, n - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The boxes directly inside `payload` (a box body or a container's remainder). */
export function childBoxes(payload: Uint8Array): Box[] {
  const out: Box[] = [];
  let at = 0;
  while (at + 8 <= payload.length) {
    const header = readHeader(payload, at, payload.length - at);
    if (!header || at + header.size > payload.length) throw new Mp4Error('truncated child box');
    const bytes = payload.subarray(at, at + header.size);
    out.push({ type: fourcc(bytes, 4), bytes, headerSize: header.headerSize });
    at += header.size;
  }
  return out;
}

export function payloadOf(box: Box): Uint8Array {
  return box.bytes.subarray(box.headerSize);
}

export function children(box: Box): Box[] {
  return childBoxes(payloadOf(box));
}

export function findChild(box: Box, type: string): Box | undefined {
  return children(box).find((b) => b.type === type);
}

/** Follows a path of container types, e.g. `['mdia', 'minf', 'stbl']`. */
export function findPath(box: Box, path: readonly string[]): Box | undefined {
  let cur: Box | undefined = box;
  for (const type of path) {
    if (!cur) return undefined;
    cur = findChild(cur, type);
  }
  return cur;
}

/** Big-endian cursor over a box payload; throws on reads past the end. */
export class Cursor {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Mp4Error('box payload truncated');
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** 64-bit value as a number; decode times stay far below 2^53 in practice. */
  u64(): number {
    this.need(8);
    const v = Number(this.view.getBigUint64(this.pos));
    this.pos += 8;
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Full-box header: version byte and 24-bit flags. */
  fullBox(): { version: number; flags: number } {
    const word = this.u32();
    return { version: word >>> 24, flags: word & 0xffffff };
  }
}
