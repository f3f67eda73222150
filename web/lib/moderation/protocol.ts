/** Messages between the page and nsfw.worker.ts. */
import type { ModelDefinition } from 'nsfwjs/core';

export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];
export type Scores = Record<NsfwClass, number>;

/** The model's input edge; frames are scaled to it before they cross to the worker. */
export const INPUT_SIZE = 224;

/**
 * The model travels to the worker as data: nsfwjs loads its bundled weights with dynamic
 * imports, which the app's worker build (IIFE) cannot split, so the page loads them as a
 * lazy chunk instead.
 */
export interface ModelData {
  type: 'model';
  modelJson: Awaited<ReturnType<ModelDefinition['modelJson']>>['default'];
  weightBundles: string[];
}

export interface FrameRequest {
  type: 'frame';
  id: number;
  frame: ImageBitmap | ImageData;
}

/** The tfjs backend the worker runs on and how many threads its wasm build uses. */
export interface BackendInfo {
  backend: string;
  threads: number;
}

export type WorkerReply =
  | ({ type: 'ready' } & BackendInfo)
  | { type: 'result'; id: number; scores: Scores; ms: number }
  | { type: 'error'; id?: number; message: string };
