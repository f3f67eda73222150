import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../errors.ts';

/** Recognises an image by its first bytes; the Content-Type header is only a claim. */
export function sniffImage(buf: Buffer): 'jpg' | 'png' | 'webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * Stores an uploaded image as a WebP of at most `maxEdge` px on its longest edge. Decoding and
 * re-encoding drops everything but the pixels (EXIF, GPS, comments, anything smuggled after them);
 * only the orientation is applied first. Returns the new file's name in `dir`.
 */
export async function storeImage(dir: string, bytes: Buffer, opts: { maxEdge: number; prefix?: string }): Promise<string> {
  if (bytes.length === 0) throw new AppError('bad_request', 'The image is empty.');
  if (!sniffImage(bytes)) throw new AppError('bad_request', 'Images must be JPEG, PNG or WebP.');
  let out: Buffer;
  try {
    out = await sharp(bytes, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize({ width: opts.maxEdge, height: opts.maxEdge, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new AppError('bad_request', 'The image could not be read.');
  }
  await fs.mkdir(dir, { recursive: true });
  const file = `${opts.prefix ?? ''}${crypto.randomBytes(12).toString('hex')}.webp`;
  await fs.writeFile(path.join(dir, file), out);
  return file;
}
