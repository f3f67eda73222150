/**
 * NSFW classifier off the main thread, so the host's preview and encoder never wait on it.
 * The weights (nsfwjs MobileNetV2, bundled as JS, sent by the page) and the wasm binaries
 * come from the app's own build; nothing is fetched from elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { load, type ModelDefinition } from 'nsfwjs/core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { foldedForward } from './folded-model';
import { INPUT_SIZE, NSFW_CLASSES, type FrameRequest, type ModelData, type Scores, type WorkerReply } from './protocol';

const reply = (message: WorkerReply) => postMessage(message);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const canvas = new OffscreenCanvas(INPUT_SIZE, INPUT_SIZE);
const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

async function toPixels(frame: ImageBitmap | ImageData): Promise<ImageData> {
  if (frame instanceof ImageData && frame.width === INPUT_SIZE && frame.height === INPUT_SIZE) return frame;
  const bitmap = frame instanceof ImageData ? await createImageBitmap(frame) : frame;
  ctx.drawImage(bitmap, 0, 0, INPUT_SIZE, INPUT_SIZE);
  bitmap.close();
  return ctx.getImageData(0, 0, INPUT_SIZE, INPUT_SIZE);
}

type Forward = ReturnType<typeof foldedForward>;

/** nsfwjs's preprocessing (pixels scaled to [0, 1]); the model ends in a softmax over NSFW_CLASSES. */
async function classify(forward: Forward, frame: ImageBitmap | ImageData): Promise<{ scores: Scores; ms: number }> {
  const start = performance.now();
  const pixels = await toPixels(frame);
  const output = tf.tidy(() => forward(tf.browser.fromPixels(pixels).toFloat().div(255).expandDims(0)));
  try {
    const probabilities = await output.data();
    const scores = Object.fromEntries(NSFW_CLASSES.map((name, i) => [name, probabilities[i]!])) as Scores;
    return { scores, ms: performance.now() - start };
  } finally {
    output.dispose();
  }
}

let receiveModel: (data: ModelData) => void;
const modelData = new Promise<ModelData>((resolve) => (receiveModel = resolve));

async function init(): Promise<Forward> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd
  });
  // The pages are cross-origin isolated (COOP + COEP, server/http/security-headers.ts), so
  // SharedArrayBuffer exists and tfjs can take its threaded SIMD build, which splits each layer
  // across hardwareConcurrency / 2 threads. Below 4 logical cores that is one thread, and the
  // threaded build would only add idle thread workers: a frame split across both cores of a
  // busy 2-core machine took about three times as long, each layer waiting for the slower
  // core. Without isolation tfjs falls back to single-threaded SIMD by itself.
  if (navigator.hardwareConcurrency < 4) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const { modelJson, weightBundles } = await modelData;
  const definition: ModelDefinition = {
    name: 'MobileNetV2',
    numOfWeightBundles: weightBundles.length,
    modelJson: async () => ({ default: modelJson }),
    weightBundles: weightBundles.map((weights) => async () => ({ default: weights }))
  };
  const { model } = await load('MobileNetV2', { modelDefinitions: [definition] });
  const forward = foldedForward(model as tf.LayersModel);
  // The first real frame would otherwise pay for kernel setup and buffer allocation.
  await classify(forward, new ImageData(INPUT_SIZE, INPUT_SIZE));
  return forward;
}

const forward = init();
forward.then(
  () => reply({ type: 'ready', backend: tf.getBackend(), threads: getThreadsCount() }),
  (err: unknown) => reply({ type: 'error', message: errorText(err) })
);

// One frame at a time, so each `ms` is the frame's own cost, not time spent queued.
let queue: Promise<unknown> = Promise.resolve();
addEventListener('message', (event: MessageEvent<ModelData | FrameRequest>) => {
  if (event.data.type === 'model') return receiveModel(event.data);
  const { id, frame } = event.data;
  queue = queue.then(async () => {
    try {
      reply({ type: 'result', id, ...(await classify(await forward, frame)) });
    } catch (err) {
      reply({ type: 'error', id, message: errorText(err) });
    }
  });
});
