import path from 'node:path';
import { storeImage } from '../media/images.ts';

/** Covers are shown at most full-width on a large screen. */
const COVER_MAX_EDGE = 1920;

/** Stores a show's cover, re-encoded (no EXIF or location), under `<uploadDir>/covers`; returns the file name. */
export function storeCover(uploadDir: string, showId: string, bytes: Buffer): Promise<string> {
  return storeImage(path.join(uploadDir, 'covers'), bytes, { maxEdge: COVER_MAX_EDGE, prefix: `${showId}-` });
}
