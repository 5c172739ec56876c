/**
 * The Dataset every source produces (playground, truth tables, CSV, samples), and the operations on
 * it: the seeded train/validation/test split, standardization, class-index ↔ one-hot, finiteness check.
 */
import { argmax, type Rng } from '../tensor';
import { DatasetError } from './errors';

export type Task = 'classification' | 'regression';

/** x shape [rows][inputNames.length], y shape [rows][outputNames.length]. */
export interface Dataset {
  name: string;
  task: Task;
  inputNames: string[];
  outputNames: string[];
  x: number[][];
  y: number[][];
  /** Class names for classification, in class-index order. */
  classes?: string[];
  /** How the inputs were scaled (x here is already scaled); kept with trained models as `meta.scaling`. */
  scaling?: Scaling;
}

/**
 * Input scaling, fitted on the table and stored with the model so that predictions and exports scale
 * raw rows the same way: standardize z = (v − mean) / scale, or min-max z = (v − min) / (max − min).
 */
export type Scaling = { kind: 'standardize'; mean: number[]; scale: number[] } | { kind: 'minmax'; min: number[]; max: number[] };

/** Row indices of a seeded split: train first, then validation, then test. */
export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * The one split of the engine: rows 0…n−1 are shuffled with `rng` (only when something is held out),
 * the last round(n·test) go to test, the round(n·validation) before them to validation, the rest to
 * train. Same generator state, same split. Fractions are checked by the training block.
 */
export function splitIndices(n: number, validation: number, test: number, rng: Rng): SplitIndices {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  if (validation > 0 || test > 0) rng.shuffle(perm);
  const nTest = Math.round(n * test);
  const nVal = Math.round(n * validation);
  const nTrain = Math.max(0, n - nVal - nTest);
  return { train: perm.subarray(0, nTrain), validation: perm.subarray(nTrain, nTrain + nVal), test: perm.subarray(nTrain + nVal) };
}

/** Per-column mean and scale: z = (v − mean) / scale. */
export interface Standardizer {
  mean: number[];
  /** Population standard deviation (divide by N); 1 for a constant column, so it maps to 0. */
  scale: number[];
}

/** Fit on rows [N][d]: mean_j = Σ v_ij / N, scale_j = √(Σ (v_ij − mean_j)² / N), or 1 when that is 0. */
export function fitStandardizer(rows: readonly (readonly number[])[]): Standardizer {
  if (rows.length === 0) throw new DatasetError('cannot fit a standardizer on zero rows', 'rows');
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(scale[j] / rows.length);
    // A constant column (or one whose spread is lost in rounding) is centred, not divided by ~0.
    scale[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
  }
  return { mean, scale };
}

export function applyStandardizer(rows: readonly (readonly number[])[], s: Standardizer): number[][] {
  return rows.map((r) => r.map((v, j) => (v - s.mean[j]) / s.scale[j]));
}

/** Fits a scaling on rows [N][d]; a constant column maps to 0 (standardize) or 0 (min-max), never ÷0. */
export function fitScaling(rows: readonly (readonly number[])[], kind: Scaling['kind']): Scaling {
  if (kind === 'standardize') return { kind, ...fitStandardizer(rows) };
  if (rows.length === 0) throw new DatasetError('cannot fit a scaling on zero rows', 'rows');
  const d = rows[0].length;
  const min = new Array<number>(d).fill(Infinity);
  const max = new Array<number>(d).fill(-Infinity);
  for (const r of rows) {
    for (let j = 0; j < d; j++) {
      if (r[j] < min[j]) min[j] = r[j];
      if (r[j] > max[j]) max[j] = r[j];
    }
  }
  return { kind, min, max };
}

/**
 * Raw rows scaled as the model was trained: x′ = (x − offset) / divisor per column — standardize:
 * mean and scale; min-max: min and max − min (1 for a constant column). Unchanged without a scaling.
 */
export function scaleRows(rows: readonly (readonly number[])[], s: Scaling | null | undefined): number[][] {
  if (!s) return rows.map((r) => [...r]);
  const width = s.kind === 'standardize' ? s.mean.length : s.min.length;
  if (rows.length && rows[0].length !== width) throw new DatasetError(`the scaling is for ${width} columns, the rows have ${rows[0].length}`, 'scaling');
  const offset = s.kind === 'standardize' ? s.mean : s.min;
  const divisor = s.kind === 'standardize' ? s.scale : s.max.map((hi, j) => (hi === s.min[j] ? 1 : hi - s.min[j]));
  return rows.map((r) => r.map((v, j) => (v - offset[j]) / divisor[j]));
}

/** Class indices [N] → one-hot rows [N][k]. Throws on an index outside 0…k−1 or not an integer. */
export function toOneHot(indices: readonly number[], k: number): number[][] {
  return indices.map((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new DatasetError(`class index ${c} at row ${i} is not in 0…${k - 1}`, `y[${i}]`);
    const row = new Array<number>(k).fill(0);
    row[c] = 1;
    return row;
  });
}

/** One-hot (or score) rows [N][k] → class indices [N] by argmax (first on ties); a [N][1] column of
 * probabilities → 1 when ≥ 0.5, else 0. */
export function fromOneHot(rows: readonly (readonly number[])[]): number[] {
  return rows.map((r) => (r.length === 1 ? (r[0] >= 0.5 ? 1 : 0) : argmax(r)));
}

/** Throws DatasetError naming the first NaN or ±Inf cell (row and column, 1-based): training is blocked until handled. */
export function assertFinite(ds: Pick<Dataset, 'x' | 'y'>): void {
  for (const key of ['x', 'y'] as const) {
    const m = ds[key];
    const what = key === 'x' ? 'input' : 'target';
    for (let i = 0; i < m.length; i++) {
      for (let j = 0; j < m[i].length; j++) {
        const v = m[i][j];
        if (!Number.isFinite(v)) throw new DatasetError(`${what} row ${i + 1}, column ${j + 1} holds ${v}; clean NaN/Inf before training`, `${key}[${i}][${j}]`);
      }
    }
  }
}
