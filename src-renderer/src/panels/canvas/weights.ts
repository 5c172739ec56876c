/** What an edge into a weighted layer carries: the part of the weight matrix that reads the source. */
import type { GraphSpec, ModelJson } from '../../lib/engine';

export interface WeightSummary {
  mean: number;
  rms: number;
  rows: number;
  cols: number;
  /** The columns of W this edge feeds (all of them unless the layer reads a Concat). */
  matrix: number[][];
}

/** The weights of `target` that read `source`'s outputs, summarised; null when the layer has none or they do not fit. */
export function weightSummary(params: ModelJson['params'] | undefined, graph: GraphSpec, source: string, target: string): WeightSummary | null {
  const node = graph.nodes.find((n) => n.id === target);
  if (!params || !node || (node.type !== 'Linear' && node.type !== 'Maxout')) return null;
  const W = params[target]?.weight as number[][] | undefined;
  if (!Array.isArray(W) || !Array.isArray(W[0]) || node.in?.[0] !== source) return null;
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (const row of W) {
    for (const v of row) {
      s += v;
      s2 += v * v;
      n++;
    }
  }
  if (n === 0) return null;
  return { mean: s / n, rms: Math.sqrt(s2 / n), rows: W.length, cols: W[0].length, matrix: W };
}
