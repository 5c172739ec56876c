import { analyzeGraph } from '../graph/validate';
import type { GraphSpec } from '../graph/types';

/** Output activations whose range is (−1, 1): class targets for them are ±1, as in the Playground. */
const SYMMETRIC_OUTPUTS = new Set(['Tanh', 'Hardtanh', 'Softsign', 'BipolarSigmoid', 'Sign']);

/**
 * Class targets as the chosen loss and output layer expect them. The data sets store classes as an
 * index column (0…k−1) or one-hot rows; this maps them to:
 *  - an index column for cross_entropy / nll (one-hot rows → arg-max),
 *  - one-hot rows for kl and for regression-style losses on k > 1 outputs,
 *  - ±1 for a single output that ends in Tanh-like units with mse/mae/huber (the Playground's setup),
 *  - 0/1 otherwise.
 * Regression targets (and anything already in the right form) pass through unchanged.
 */
export function adaptTargets(graph: GraphSpec, loss: string, task: 'classification' | 'regression', y: number[][]): number[][] {
  if (task !== 'classification' || y.length === 0) return y;
  const analysis = analyzeGraph(graph);
  const out = graph.outputs[0];
  const width = analysis.widths[out];
  if (width === undefined) return y;
  const outType = graph.nodes.find((n) => n.id === out)?.type ?? '';
  const isIndex = y[0].length === 1;
  const index = isIndex ? y.map((r) => r[0]) : y.map((r) => r.indexOf(Math.max(...r)));
  if (loss === 'cross_entropy' || loss === 'nll') return index.map((c) => [c]);
  if (width > 1 && (loss === 'kl' || !isIndex || ['mse', 'mae', 'huber', 'bce', 'bce_logits'].includes(loss))) {
    return index.map((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : 0)));
  }
  if (width === 1 && isIndex && ['mse', 'mae', 'huber'].includes(loss) && SYMMETRIC_OUTPUTS.has(outType)) {
    return index.map((c) => [c > 0 ? 1 : -1]);
  }
  return y;
}
