/**
 * What the network learned over the plane, for 2-D data sets: every node's outputs over a grid,
 * painted from the weights of the run on screen (live while it trains) or, before any run, from the
 * initial weights the trainer would start from. The output is read as the loss reads it: a signed
 * value in [−1, 1] (the Playground's colour scale) or, with several outputs, class probabilities.
 */
import { initialModel, LOSS_CATALOG, planePictures, type GraphSpec, type ModelJson, type PlanePictures, type TrainingBlock } from '../lib/engine';
import type { Weights } from './run.svelte';

/** Output activations whose range is (−1, 1) (their targets are ±1). */
const SYMMETRIC = new Set(['Tanh', 'Hardtanh', 'Softsign', 'BipolarSigmoid', 'Sign']);

/** How one output value becomes the Playground's signed colour value. */
export function signedOutput(loss: string, outputType: string, task: 'classification' | 'regression', scale = 1): (v: number) => number {
  if (task === 'regression') return (v) => v / scale;
  const probabilities = LOSS_CATALOG.find((l) => l.name === loss)?.probabilities ?? null;
  if (probabilities === 'sigmoid') return (v) => Math.tanh(v / 2);
  if (probabilities === 'exp') return (v) => 2 * Math.exp(v) - 1;
  if (probabilities === null && SYMMETRIC.has(outputType)) return (v) => v;
  return (v) => 2 * v - 1;
}

/** Per-cell class probabilities of a multi-output grid, as the loss reads its outputs (in place). */
export function toProbabilities(data: Float64Array, width: number, loss: string): Float64Array {
  const how = LOSS_CATALOG.find((l) => l.name === loss)?.probabilities ?? null;
  if (how !== 'softmax' && how !== 'exp') return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i += width) {
    let m = -Infinity;
    for (let k = 0; k < width; k++) m = Math.max(m, data[i + k]);
    let s = 0;
    for (let k = 0; k < width; k++) {
      const e = how === 'exp' ? Math.exp(data[i + k]) : Math.exp(data[i + k] - m);
      out[i + k] = e;
      s += e;
    }
    if (how === 'softmax') for (let k = 0; k < width; k++) out[i + k] /= s;
  }
  return out;
}

/**
 * Pictures of a model over the plane, or null when they cannot be drawn (not a 2-D set, weights of
 * another graph, an invalid graph). `weights` null: the initial weights of `training`.
 */
export function picturesOf(graph: GraphSpec, training: TrainingBlock, weights: Weights | null, features: readonly string[], res = 50): PlanePictures | null {
  try {
    const base: ModelJson = { format: 'neurograph-model', version: 1, nodes: graph.nodes, outputs: graph.outputs };
    const model = weights ? { ...base, params: weights.params, state: weights.state } : initialModel(base, training);
    return planePictures(model, features, res);
  } catch {
    return null;
  }
}
