/** Messages between the page and nsfw.worker.ts. */

export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];
export type Scores = Record<NsfwClass, number>;

/** The model's input edge; frames are scaled to it before they cross to the worker. */
export const INPUT_SIZE = 224;

export interface FrameRequest {
  id: number;
  frame: ImageBitmap | ImageData;
}

export type WorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'result'; id: number; scores: Scores; ms: number }
  | { type: 'error'; id?: number; message: string };
