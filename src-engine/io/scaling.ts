import { scaleRows, type Scaling } from '../data';
import type { ModelJson } from '../graph';
import { ModelJsonError } from './errors';

/**
 * `meta.scaling` in model JSON: how raw input rows were scaled before they reached the Input node,
 * so that an exported model can take raw rows. Per input column j (k = the Input's size):
 *
 *   { kind: 'standardize', mean: number[k], scale: number[k] }   x′ⱼ = (xⱼ − meanⱼ) / scaleⱼ   (scaleⱼ ≠ 0)
 *   { kind: 'minmax', min: number[k], max: number[k] }           x′ⱼ = (xⱼ − minⱼ) / (maxⱼ − minⱼ),
 *                                                                 or xⱼ − minⱼ for a constant column (maxⱼ = minⱼ)
 */
export type InputScaling = Scaling;

function vector(v: unknown, k: number, path: string): number[] {
  if (!Array.isArray(v) || v.length !== k) throw new ModelJsonError(`${path}: expected ${k} numbers (one per input column), got ${Array.isArray(v) ? v.length : typeof v}`, path);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelJsonError(`${path}[${i}]: ${JSON.stringify(x)} is not a finite number`, `${path}[${i}]`);
  });
  return v as number[];
}

/** The model's input scaling, checked against an Input of width k; null when it has none. */
export function readScaling(model: ModelJson, k: number): InputScaling | null {
  const s = model.meta?.scaling as Record<string, unknown> | undefined | null;
  if (s === undefined || s === null) return null;
  if (typeof s !== 'object' || Array.isArray(s)) throw new ModelJsonError('meta.scaling: must be {kind, …} (standardize: mean, scale; minmax: min, max)', 'meta.scaling');
  if (s.kind === 'standardize') {
    const mean = vector(s.mean, k, 'meta.scaling.mean');
    const scale = vector(s.scale, k, 'meta.scaling.scale');
    const zero = scale.findIndex((v) => v === 0);
    if (zero >= 0) throw new ModelJsonError(`meta.scaling.scale[${zero}]: a scale of 0 would divide by zero`, `meta.scaling.scale[${zero}]`);
    return { kind: 'standardize', mean, scale };
  }
  if (s.kind === 'minmax') return { kind: 'minmax', min: vector(s.min, k, 'meta.scaling.min'), max: vector(s.max, k, 'meta.scaling.max') };
  throw new ModelJsonError(`meta.scaling.kind: must be 'standardize' or 'minmax', got ${JSON.stringify(s.kind)}`, 'meta.scaling.kind');
}

/** Either kind as x′ = (x − offset) / divisor. */
export function scalingAffine(s: InputScaling): { offset: number[]; divisor: number[] } {
  if (s.kind === 'standardize') return { offset: s.mean, divisor: s.scale };
  return { offset: s.min, divisor: s.max.map((hi, j) => (hi === s.min[j] ? 1 : hi - s.min[j])) };
}

/** Rows scaled as the model expects them at its Input (the identity when it has no scaling): data's scaleRows. */
export function applyScaling(s: InputScaling | null, rows: readonly (readonly number[])[]): number[][] {
  return scaleRows(rows, s);
}
