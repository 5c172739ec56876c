/**
 * How a split of rows is measured at the end of an epoch: the current weights in eval mode, EVAL_ROWS
 * rows per forward pass (activations the size of a chunk, not of the split, and a chunk the kernels
 * keep in cache). Used by the session and, for its part of the training rows, by a data-parallel shard.
 */
import type { Model } from '../graph';
import type { LossDef, RunMode } from '../layers';
import { Rng, type Mat } from '../tensor';
import { accuracy, type TargetEncoding } from './targets';

/** Rows per forward pass when a split is evaluated. */
export const EVAL_ROWS = 1024;

const EVAL: RunMode = { train: false, stochastic: false, rng: new Rng(0) };

/** Rows [from, to) of m, as a view (no copy). */
export function rowSlice(m: Mat, from: number, to: number): Mat {
  return { rows: to - from, cols: m.cols, data: m.data.subarray(from * m.cols, to * m.cols) };
}

/**
 * Over rows [from, to) of a split (x in the model's dtype): `loss`, the loss summed over chunks as
 * chunk mean × chunk rows (null when not asked; for a single chunk its mean itself, so that one
 * chunk gives exactly the whole-range number), and `hits`, accuracy × rows × output width summed
 * over chunks — a whole number, so hits add up exactly however the rows are cut (null without an
 * encoding). `first` runs on the first chunk's activations.
 */
export function measureRows(
  model: Model,
  lossDef: LossDef,
  encoding: TargetEncoding | null,
  split: { x: Mat; y: Mat },
  from: number,
  to: number,
  withLoss: boolean,
  first?: () => void,
): { loss: number; hits: number } {
  const m = model.outputWidth;
  const single = to - from <= EVAL_ROWS;
  let loss = 0;
  let hits = 0;
  for (let a = from; a < to; a += EVAL_ROWS) {
    const b = Math.min(to, a + EVAL_ROWS);
    const rows = b - a;
    const x = model.input(rows);
    x.data.set(split.x.data.subarray(a * split.x.cols, b * split.x.cols));
    const pred = model.forward(x, EVAL);
    const y = rows === split.y.rows ? split.y : rowSlice(split.y, a, b);
    if (withLoss) {
      const l = lossDef.compute(pred, y, null);
      loss = single ? l : loss + l * rows;
    }
    // accuracy() is hits / rows (or hits / (rows·m) per unit): times rows·m it is an exact whole number.
    if (encoding) hits += Math.round(accuracy(lossDef, encoding, pred, y) * rows * m);
    if (a === from) first?.();
  }
  return { loss, hits };
}
