/**
 * Runs a Keras-style layers model with each convolution's batch normalization (and a ReLU6 after
 * it) folded into the convolution, and a zero-padding layer before it turned into the
 * convolution's own padding. Keras MobileNetV2 follows every convolution with a separate
 * batch-norm layer; on the wasm backend those passes over the activations cost about as much as
 * the convolutions themselves. Folded, each group is one XNNPACK convolution with a bias and a
 * clamp. Every other layer runs as the model defines it.
 */
import * as tf from '@tensorflow/tfjs';

type Forward = (input: tf.Tensor) => tf.Tensor;

interface Step {
  /** Layer names this step reads, and the name its output is known by. */
  inputs: string[];
  output: string;
  run: (inputs: tf.Tensor[]) => tf.Tensor;
}

const CONVOLUTIONS = new Set(['Conv2D', 'DepthwiseConv2D']);

/** The forward pass as a function of the model's single input; the caller disposes what it returns. */
export function foldedForward(model: tf.LayersModel): Forward {
  const consumers = new Map<string, tf.layers.Layer[]>();
  for (const layer of model.layers) {
    for (const source of inboundLayers(layer)) consumers.set(source.name, [...(consumers.get(source.name) ?? []), layer]);
  }
  const soleConsumer = (layer: tf.layers.Layer) => {
    const next = consumers.get(layer.name) ?? [];
    return next.length === 1 ? next[0] : undefined;
  };

  const foldable = (layer: tf.layers.Layer) =>
    CONVOLUTIONS.has(layer.getClassName()) && isLinear(layer) && soleConsumer(layer)?.getClassName() === 'BatchNormalization';
  // A zero-padding layer that only feeds a 'valid' convolution becomes that convolution's padding.
  const padOf = new Map<string, tf.layers.Layer>();
  for (const layer of model.layers) {
    const sources = inboundLayers(layer);
    const source = sources.length === 1 ? sources[0] : undefined;
    if (foldable(layer) && layer.getConfig().padding === 'valid' && source?.getClassName() === 'ZeroPadding2D' && soleConsumer(source) === layer) {
      padOf.set(layer.name, source);
    }
  }

  const steps: Step[] = [];
  const skipped = new Set([...padOf.values()].map((l) => l.name));
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer' || skipped.has(layer.name)) continue;
    if (foldable(layer)) {
      const norm = soleConsumer(layer)!;
      const relu = soleConsumer(norm);
      const clamp = relu && isRelu6(relu) ? relu : undefined;
      for (const l of [norm, clamp]) if (l) skipped.add(l.name);
      const pad = padOf.get(layer.name);
      const inputs = inboundLayers(pad ?? layer).map((l) => l.name);
      steps.push({ inputs, output: (clamp ?? norm).name, run: foldedConvolution(layer, norm, clamp ? 'relu6' : 'linear', pad) });
    } else {
      const inputs = inboundLayers(layer).map((l) => l.name);
      steps.push({ inputs, output: layer.name, run: (xs) => layer.apply(xs.length === 1 ? xs[0]! : xs) as tf.Tensor });
    }
  }
  const inputName = model.inputLayers[0]!.name;
  const outputName = model.outputLayers[0]!.name;

  return (input) =>
    tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[inputName, input]]);
      for (const step of steps) values.set(step.output, step.run(step.inputs.map((name) => values.get(name)!)));
      return values.get(outputName)!;
    });
}

function inboundLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  return layer.inboundNodes.flatMap((node) => node.inboundLayers);
}

function isLinear(conv: tf.layers.Layer): boolean {
  const activation = conv.getConfig().activation;
  return activation === undefined || activation === 'linear';
}

function isRelu6(layer: tf.layers.Layer): boolean {
  const config = layer.getConfig();
  return layer.getClassName() === 'ReLU' && config.maxValue === 6 && !config.threshold && !config.negativeSlope;
}

/**
 * y = γ·(conv(x, W) + b − μ)/√(σ² + ε) + β  =  conv(x, W·s) + (b − μ)·s + β,  s = γ/√(σ² + ε),
 * with s per output channel: the kernel's last axis (for a depthwise kernel, channels × multiplier
 * flattened in that order, which is how its outputs are laid out).
 */
function foldedConvolution(conv: tf.layers.Layer, norm: tf.layers.Layer, activation: 'relu6' | 'linear', zeroPad?: tf.layers.Layer): Step['run'] {
  const c = conv.getConfig();
  const n = norm.getConfig();
  const [kernel, convBias] = conv.getWeights();
  const normWeights = [...norm.getWeights()];
  const gamma = n.scale === false ? undefined : normWeights.shift();
  const beta = n.center === false ? undefined : normWeights.shift();
  const [mean, variance] = normWeights as [tf.Tensor, tf.Tensor];
  const depthwise = conv.getClassName() === 'DepthwiseConv2D';
  const [filter, bias] = tf.tidy(() => {
    const shape = kernel!.shape;
    let scale = tf.rsqrt(variance.add(n.epsilon as number));
    if (gamma) scale = scale.mul(gamma);
    const flat = depthwise ? kernel!.reshape([shape[0]!, shape[1]!, shape[2]! * shape[3]!]) : kernel!;
    const filter = flat.mul(scale).reshape(shape);
    let bias = (convBias ?? tf.zerosLike(mean)).sub(mean).mul(scale);
    if (beta) bias = bias.add(beta);
    return [tf.keep(filter), tf.keep(bias)];
  });
  const strides = c.strides as [number, number];
  const dilations = c.dilationRate as [number, number];
  // ZeroPadding2D's [[top, bottom], [left, right]], as the convolution's explicit padding of NHWC.
  const explicit = zeroPad?.getConfig().padding as [[number, number], [number, number]] | undefined;
  const pad = explicit ? ([[0, 0], explicit[0], explicit[1], [0, 0]] as Parameters<typeof tf.fused.conv2d>[0]['pad']) : (c.padding as 'valid' | 'same');
  if (depthwise) {
    // Its typings leave out explicit padding, which the op and the wasm kernel take as conv2d does.
    return ([x]) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides, pad: pad as 'valid', dilations, bias, activation });
  }
  return ([x]) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides, pad, dilations, bias, activation });
}
