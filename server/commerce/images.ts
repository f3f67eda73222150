import { AppError } from '../errors.ts';
import { storeImage } from '../media/images.ts';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Checks an upload is really an image (by its bytes, not its name), strips metadata
 * and resizes it to at most 1200 px on its longest edge as WebP. Returns the file name.
 */
export async function storeProductImage(dir: string, bytes: Buffer): Promise<string> {
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError('payload_too_large', 'Images may be at most 5 MB.');
  return storeImage(dir, bytes, { maxEdge: 1200 });
}
