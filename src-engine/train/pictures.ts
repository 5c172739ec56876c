/**
 * What a network learned, as the Playground draws it: every node's output over the plane [−e, e]²
 * (the 2-D data sets' input space), from one forward pass over a res × res grid — the output node
 * gives the heatmap, every other node a thumbnail per unit. Works on any graph (merges included): the
 * pictures are just each node's activations.
 */
import { featureColumns } from '../data';
import { compile, type ModelJson } from '../graph';
import { fromRows, Rng } from '../tensor';

/** The plane the Playground shows: x, y in [−6, 6]. */
export const PLANE_EXTENT = 6;

/** One node's outputs over the grid: `data[(row·res + col)·width + unit]`, row 0 at y = +extent. */
export interface NodePicture {
  node: string;
  type: string;
  width: number;
  data: Float64Array;
  /** Smallest and largest value over the grid (for colour scales). */
  min: number;
  max: number;
}

export interface PlanePictures {
  res: number;
  extent: number;
  output: NodePicture;
  nodes: NodePicture[];
}

/** The grid's points, row-major from the top-left corner (−e, +e) to the bottom-right (+e, −e). */
export function planeGrid(res: number, extent = PLANE_EXTENT): { x: number; y: number; label: number }[] {
  const pts: { x: number; y: number; label: number }[] = [];
  const step = (2 * extent) / (res - 1);
  for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) pts.push({ x: -extent + c * step, y: extent - r * step, label: 0 });
  return pts;
}

/**
 * Every node's outputs over the plane, in eval mode and float64, for a model whose Input takes the
 * given features of (x, y) (x1, x2, x1², …). Throws like compile() when the model cannot run.
 */
export function planePictures(model: ModelJson, features: readonly string[], res = 50, extent = PLANE_EXTENT): PlanePictures {
  const compiled = compile(model, { dtype: 'float64' });
  const X = fromRows('float64', featureColumns(planeGrid(res, extent), features));
  compiled.forward(X, { train: false, stochastic: false, rng: new Rng(0) });
  const pictures = compiled.nodes
    .filter((n) => n.inputs.length > 0)
    .map((n): NodePicture => {
      const data = Float64Array.from(n.out.data);
      let min = Infinity;
      let max = -Infinity;
      for (const v of data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return { node: n.id, type: n.type, width: n.width, data, min, max };
    });
  return { res, extent, output: pictures.find((p) => p.node === compiled.outputId)!, nodes: pictures };
}
