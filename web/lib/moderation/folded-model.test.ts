import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldedForward } from './folded-model';

/** Kernel names a forward pass runs, with how often. */
async function kernels(run: () => tf.Tensor): Promise<Map<string, number>> {
  const profile = await tf.profile(run);
  const counts = new Map<string, number>();
  for (const k of profile.kernels) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
  return counts;
}

const maxDifference = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);

/** Batch-norm weights far from identity, so a wrong fold shows. */
const randomNorm = (name: string, opts: { scale?: boolean; center?: boolean } = {}) =>
  tf.layers.batchNormalization({
    name,
    epsilon: 1e-3,
    scale: opts.scale ?? true,
    center: opts.center ?? true,
    gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: 1 }),
    betaInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 2 }),
    movingMeanInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }),
    movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.2, maxval: 3, seed: 4 })
  });

describe('folded batch normalization', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('gives the layers model’s output for convolutions with and without bias, zero padding, a depthwise multiplier, ReLU6 and a residual add', async () => {
    const input = tf.input({ shape: [12, 12, 4] });
    const padded = tf.layers.zeroPadding2d({ padding: [[0, 1], [2, 1]] }).apply(input);
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'valid', useBias: true, biasInitializer: 'randomNormal' }).apply(padded);
    const normed = randomNorm('bn1').apply(conv);
    const clamped = tf.layers.reLU({ maxValue: 6 }).apply(normed) as tf.SymbolicTensor;
    const depthwisePadded = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(clamped);
    const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'valid', useBias: false }).apply(depthwisePadded);
    const plainNorm = randomNorm('bn2', { scale: false }).apply(depthwise);
    const project = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false }).apply(plainNorm);
    const projected = randomNorm('bn3', { center: false }).apply(project) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([projected, plainNorm as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: sum });

    const x = tf.randomUniform([2, 12, 12, 4], -3, 3, 'float32', 5);
    const forward = foldedForward(model);
    expect(maxDifference(model.predict(x) as tf.Tensor, forward(x))).toBeLessThan(1e-4);
    const ran = await kernels(() => forward(x));
    expect(ran.has('FusedBatchNorm')).toBe(false);
    expect(ran.has('ClipByValue')).toBe(false);
    expect(ran.has('PadV2')).toBe(false);
    expect(ran.get('FusedConv2D')).toBe(2);
    expect(ran.get('FusedDepthwiseConv2D')).toBe(1);
  });

  it('classifies with the bundled MobileNetV2 as the unfolded model does, without a batch-norm or padding pass', async () => {
    const { MobileNetV2Model: bundled } = await import('nsfwjs/models/mobilenet_v2');
    const [json, weights] = await Promise.all([bundled.modelJson(), Promise.all(bundled.weightBundles.map((load) => load()))]);
    const { modelTopology, weightsManifest } = json.default as unknown as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const bytes = Buffer.from(weights[0]!.default, 'base64');
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0]!.weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })
    );
    const x = tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 7);
    const forward = foldedForward(model);
    const folded = forward(x);
    expect(maxDifference(model.predict(x) as tf.Tensor, folded)).toBeLessThan(1e-4);
    expect(folded.sum().dataSync()[0]).toBeCloseTo(1, 4);
    const ran = await kernels(() => forward(x));
    expect(ran.has('FusedBatchNorm')).toBe(false);
    expect(ran.has('PadV2')).toBe(false);
    expect(ran.get('FusedConv2D')! + ran.get('FusedDepthwiseConv2D')!).toBe(52);
  });
});
