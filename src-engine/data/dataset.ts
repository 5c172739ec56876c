/**
 * The Dataset every source produces (playground, truth tables, CSV, samples), and the operations on
 * it: seeded train/validation/test split, standardization, class-index ↔ one-hot, finiteness check.
 */
import { Rng } from '../tensor';
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
}

export interface SplitOptions {
  /** Fraction of rows for validation, in [0, 1). */
  validation?: number;
  /** Fraction of rows for test, in [0, 1). */
  test?: number;
  seed: number;
}

export interface SplitDataset {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

function subset(ds: Dataset, rows: readonly number[], suffix: string): Dataset {
  return { ...ds, name: `${ds.name} (${suffix})`, x: rows.map((i) => ds.x[i]), y: rows.map((i) => ds.y[i]) };
}

/**
 * Seeded split: the row indices are shuffled with Rng(seed), then the first round(N·test) rows go to
 * test, the next round(N·validation) to validation, the rest to train. Same seed, same split.
 */
export function splitDataset(ds: Dataset, opts: SplitOptions): SplitDataset {
  const validation = opts.validation ?? 0;
  const test = opts.test ?? 0;
  for (const [field, f] of [['validation', validation], ['test', test]] as const) {
    if (!(f >= 0 && f < 1)) throw new DatasetError(`${field} fraction must be in [0, 1), got ${f}`, field);
  }
  if (validation + test >= 1) {
    throw new DatasetError(`validation + test fractions must leave rows for training, got ${validation + test}`, 'validation');
  }
  const n = ds.x.length;
  const order = new Rng(opts.seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const nTest = Math.round(n * test);
  const nVal = Math.round(n * validation);
  return {
    test: subset(ds, order.slice(0, nTest), 'test'),
    validation: subset(ds, order.slice(nTest, nTest + nVal), 'validation'),
    train: subset(ds, order.slice(nTest + nVal), 'train'),
  };
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
  return rows.map((r) => {
    if (r.length === 1) return r[0] >= 0.5 ? 1 : 0;
    let best = 0;
    for (let j = 1; j < r.length; j++) if (r[j] > r[best]) best = j;
    return best;
  });
}

/** Throws DatasetError naming the first NaN or ±Inf cell (`x[12][3]`): training is blocked until handled. */
export function assertFinite(ds: Pick<Dataset, 'x' | 'y'>): void {
  for (const key of ['x', 'y'] as const) {
    const m = ds[key];
    for (let i = 0; i < m.length; i++) {
      for (let j = 0; j < m[i].length; j++) {
        if (!Number.isFinite(m[i][j])) throw new DatasetError(`${key}[${i}][${j}] is ${m[i][j]}; clean the data before training`, `${key}[${i}][${j}]`);
      }
    }
  }
}
