import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../errors.ts';
import { sniffImage } from '../shows/routes.ts';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_EDGE = 1200;

/**
 * Checks an upload is really an image (by its bytes, not its name), strips metadata
 * and resizes it to at most 1200 px on its longest edge as WebP. Returns the file name.
 */
export async function storeProductImage(dir: string, bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new AppError('bad_request', 'The image is empty.');
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError('payload_too_large', 'Images may be at most 5 MB.');
  if (!sniffImage(bytes)) throw new AppError('bad_request', 'Product images must be JPEG, PNG or WebP.');
  let out: Buffer;
  try {
    out = await sharp(bytes, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new AppError('bad_request', 'The image could not be read.');
  }
  await fs.mkdir(dir, { recursive: true });
  const file = `${crypto.randomBytes(12).toString('hex')}.webp`;
  await fs.writeFile(path.join(dir, file), out);
  return file;
}
