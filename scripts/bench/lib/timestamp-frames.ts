/**
 * Glass-to-glass timing through real video: the sender paints the low 24 bits of
 * Date.now() as black/white blocks; the receiver reads them back from decoded frames
 * and restores the high bits from its own clock (same machine, same clock).
 * The page scripts are plain JavaScript files handed to `addInitScript({ path })`.
 */
import { fileURLToPath } from 'node:url';

export const timestampCamera = { path: fileURLToPath(new URL('./timestamp-camera.browser.js', import.meta.url)) };
export const timestampReader = { path: fileURLToPath(new URL('./timestamp-reader.browser.js', import.meta.url)) };
