/**
 * Storage for the engine: row-major matrices over Float32Array (the default) or Float64Array
 * (finite-difference checks and line-search methods). Arithmetic happens in JavaScript doubles and
 * is rounded once, when stored.
 */
export type DType = 'float32' | 'float64';
export type Buf = Float32Array | Float64Array;

export function alloc(dtype: DType, n: number): Buf {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** A row-major [rows][cols] view on a buffer. Batches are rows, features are columns. */
export interface Mat {
  rows: number;
  cols: number;
  data: Buf;
}

export function mat(dtype: DType, rows: number, cols: number): Mat {
  return { rows, cols, data: alloc(dtype, rows * cols) };
}

export function fromRows(dtype: DType, rows: ArrayLike<ArrayLike<number>>): Mat {
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const m = mat(dtype, r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    for (let j = 0; j < c; j++) m.data[i * c + j] = row[j];
  }
  return m;
}

export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
