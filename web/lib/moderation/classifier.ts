import { INPUT_SIZE, type BackendInfo, type FrameRequest, type ModelData, type Scores, type WorkerReply } from './protocol';
import { DEFAULT_THRESHOLD, unsafeScore } from './rule';

export interface FrameResult {
  scores: Scores;
  /** Time the worker spent on the frame (scaling, inference, read-back). */
  ms: number;
}

/** Page-side handle on nsfw.worker.ts; matches replies to requests by id. */
export class Classifier {
  /** Resolves with the tfjs backend and its threads once the model is loaded and warmed up. */
  readonly ready: Promise<BackendInfo>;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: FrameResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #settleReady!: { resolve: (info: BackendInfo) => void; reject: (e: Error) => void };

  constructor() {
    this.ready = new Promise((resolve, reject) => (this.#settleReady = { resolve, reject }));
    // Callers see a failure through `ready` or `classify`; this only avoids an unhandled rejection.
    this.ready.catch(() => {});
    this.#worker = new Worker(new URL('./nsfw.worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => this.#onReply(data);
    this.#worker.onerror = (event) => this.#fail(new Error(event.message || 'moderation worker failed'));
    void this.#sendModel();
  }

  /** Classifies one frame; an ImageBitmap is transferred (closed for the caller). */
  classify(frame: ImageBitmap | ImageData): Promise<FrameResult> {
    const id = this.#nextId++;
    const request: FrameRequest = { type: 'frame', id, frame };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(request, frame instanceof ImageBitmap ? [frame] : []);
    });
  }

  terminate(): void {
    this.#worker.terminate();
    this.#fail(new Error('moderation worker stopped'));
  }

  async #sendModel(): Promise<void> {
    try {
      const { MobileNetV2Model: model } = await import('nsfwjs/models/mobilenet_v2');
      const [json, weights] = await Promise.all([model.modelJson(), Promise.all(model.weightBundles.map((load) => load()))]);
      const message: ModelData = { type: 'model', modelJson: json.default, weightBundles: weights.map((w) => w.default) };
      this.#worker.postMessage(message);
    } catch (err) {
      this.#fail(new Error(`moderation model failed to load: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  #onReply(reply: WorkerReply): void {
    if (reply.type === 'ready') return this.#settleReady.resolve({ backend: reply.backend, threads: reply.threads });
    const pending = reply.id === undefined ? undefined : this.#pending.get(reply.id);
    if (reply.id !== undefined) this.#pending.delete(reply.id);
    if (reply.type === 'result') pending?.resolve({ scores: reply.scores, ms: reply.ms });
    else if (pending) pending.reject(new Error(reply.message));
    else this.#settleReady.reject(new Error(reply.message));
  }

  #fail(err: Error): void {
    this.#settleReady.reject(err);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}

// One worker per page, shared by the broadcast guard and image checks; it stays a while
// after the last user so a burst of uploads does not reload the model for each file.
const IDLE_MS = 60_000;
let shared: Classifier | null = null;
let users = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

export function acquireClassifier(): Classifier {
  clearTimeout(idleTimer);
  users++;
  if (!shared) {
    const created = new Classifier();
    // A worker that failed to load is dropped, so the next caller gets a fresh try.
    created.ready.catch(() => {
      if (shared === created) shared = null;
    });
    shared = created;
  }
  return shared;
}

export function releaseClassifier(): void {
  if (--users > 0) return;
  users = 0;
  idleTimer = setTimeout(() => {
    shared?.terminate();
    shared = null;
  }, IDLE_MS);
}

/** A model-sized copy of the current picture; the browser scales it, off the JS thread. */
export function frameFrom(source: ImageBitmapSource): Promise<ImageBitmap> {
  return createImageBitmap(source, { resizeWidth: INPUT_SIZE, resizeHeight: INPUT_SIZE, resizeQuality: 'low' });
}

/** Checks a product image or avatar before upload, with the same model and rule as the live guard. */
export async function classifyImageFile(file: File, threshold = DEFAULT_THRESHOLD): Promise<{ unsafe: boolean; score: number }> {
  const classifier = acquireClassifier();
  try {
    const { scores } = await classifier.classify(await frameFrom(file));
    const score = unsafeScore(scores);
    return { unsafe: score >= threshold, score };
  } finally {
    releaseClassifier();
  }
}
