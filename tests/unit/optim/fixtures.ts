/**
 * Test fixtures: small objectives with known answers, written independently of the engine.
 * The MLP objective is a hand-written float64 tanh network (Linear → Tanh → Linear, mean squared
 * error) — a test fixture standing in for the engine's compiled model in the PyTorch parity test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Objective } from '../../../src-engine/optim';

/** Reads a reference file from ../shared/reference, resolved from the repo root. */
export function readReference<T>(file: string): T {
  const url = new URL(`../../../../shared/reference/${file}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** f(θ) = ½θᵀAθ − bᵀθ with A symmetric positive definite [n][n]; minimum at A⁻¹b. */
export function quadratic(A: number[][], b: number[], theta0: number[], dtype: 'f32' | 'f64' = 'f64'): Objective & { evals: number } {
  const n = b.length;
  const theta = dtype === 'f64' ? new Float64Array(theta0) : new Float32Array(theta0);
  const grad = dtype === 'f64' ? new Float64Array(n) : new Float32Array(n);
  const obj = {
    size: n,
    theta,
    grad,
    evals: 0,
    evaluate(): number {
      obj.evals++;
      let f = 0;
      for (let i = 0; i < n; i++) {
        let ai = 0;
        for (let j = 0; j < n; j++) ai += A[i][j] * theta[j];
        grad[i] = ai - b[i];
        f += 0.5 * theta[i] * ai - b[i] * theta[i];
      }
      return f;
    },
  };
  return obj;
}

/** A random SPD matrix QᵀQ + n·I from a tiny deterministic LCG (no engine code involved). */
export function spd(n: number, seed = 7): number[][] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const Q = Array.from({ length: n }, () => Array.from({ length: n }, rnd));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => Q.reduce((acc, row) => acc + row[i] * row[j], 0) + (i === j ? n * 0.1 : 0)),
  );
}

/** Rosenbrock f(x, y) = (1 − x)² + 100(y − x²)²; minimum 0 at (1, 1). */
export function rosenbrock(x0: number, y0: number): Objective {
  const theta = new Float64Array([x0, y0]);
  const grad = new Float64Array(2);
  return {
    size: 2,
    theta,
    grad,
    evaluate(): number {
      const [x, y] = theta;
      grad[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      grad[1] = 200 * (y - x * x);
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    },
  };
}

/**
 * Linear least squares: r = Xθ − y, loss = (1/m)·Σr² (mse), with residuals for Levenberg–Marquardt.
 * X [m][n], y [m].
 */
export function leastSquares(X: number[][], y: number[], theta0: number[], withResiduals = true): Objective {
  const m = y.length;
  const n = theta0.length;
  const theta = new Float64Array(theta0);
  const grad = new Float64Array(n);
  const residual = (i: number) => X[i].reduce((acc, xij, j) => acc + xij * theta[j], 0) - y[i];
  const obj: Objective = {
    size: n,
    theta,
    grad,
    evaluate(): number {
      grad.fill(0);
      let f = 0;
      for (let i = 0; i < m; i++) {
        const r = residual(i);
        f += r * r;
        for (let j = 0; j < n; j++) grad[j] += (2 / m) * r * X[i][j];
      }
      return f / m;
    },
  };
  if (!withResiduals) return obj;
  return {
    ...obj,
    evaluate: obj.evaluate,
    residuals: {
      count: m,
      scale: 1 / m,
      evaluate(r: Float64Array, J: Float64Array): number {
        let f = 0;
        for (let i = 0; i < m; i++) {
          r[i] = residual(i);
          f += r[i] * r[i];
          for (let j = 0; j < n; j++) J[i * n + j] = X[i][j];
        }
        return f / m;
      },
    },
  };
}

/** Parameters of a 2-layer model in model JSON v1 layout. */
export interface MlpParams {
  fc1: { weight: number[][]; bias: number[] };
  fc2: { weight: number[][]; bias: number[] };
}

/** Flat θ order: fc1.weight (row-major), fc1.bias, fc2.weight, fc2.bias — PyTorch's parameter order. */
export function flatten(p: MlpParams): number[] {
  return [...p.fc1.weight.flat(), ...p.fc1.bias, ...p.fc2.weight.flat(), ...p.fc2.bias];
}

/**
 * o = W₂·tanh(W₁x + b₁) + b₂, loss = mean over all outputs of (o − t)²; backprop by hand.
 * With residuals rᵢ = oᵢ − tᵢ (scale 1/count) and their Jacobian, for Levenberg–Marquardt.
 */
export function mlpObjective(p: MlpParams, X: number[][], T: number[][]): Objective {
  const nIn = p.fc1.weight[0].length;
  const nHid = p.fc1.bias.length;
  const nOut = p.fc2.bias.length;
  const theta = new Float64Array(flatten(p));
  const size = theta.length;
  const grad = new Float64Array(size);
  const oW1 = 0, oB1 = nHid * nIn, oW2 = oB1 + nHid, oB2 = oW2 + nOut * nHid;
  const count = X.length * nOut;
  const h = new Float64Array(nHid);
  const o = new Float64Array(nOut);
  const forward = (x: number[]) => {
    for (let j = 0; j < nHid; j++) {
      let z = theta[oB1 + j];
      for (let k = 0; k < nIn; k++) z += theta[oW1 + j * nIn + k] * x[k];
      h[j] = Math.tanh(z);
    }
    for (let q = 0; q < nOut; q++) {
      let z = theta[oB2 + q];
      for (let j = 0; j < nHid; j++) z += theta[oW2 + q * nHid + j] * h[j];
      o[q] = z;
    }
  };
  /** Adds c·∂o_q/∂θ into out (offset base). */
  const backOutput = (x: number[], q: number, c: number, out: Float64Array, base: number) => {
    out[base + oB2 + q] += c;
    for (let j = 0; j < nHid; j++) {
      out[base + oW2 + q * nHid + j] += c * h[j];
      const dz = c * theta[oW2 + q * nHid + j] * (1 - h[j] * h[j]);
      out[base + oB1 + j] += dz;
      for (let k = 0; k < nIn; k++) out[base + oW1 + j * nIn + k] += dz * x[k];
    }
  };
  return {
    size,
    theta,
    grad,
    evaluate(): number {
      grad.fill(0);
      let loss = 0;
      X.forEach((x, s) => {
        forward(x);
        for (let q = 0; q < nOut; q++) {
          const r = o[q] - T[s][q];
          loss += r * r;
          backOutput(x, q, (2 * r) / count, grad, 0);
        }
      });
      return loss / count;
    },
    residuals: {
      count,
      scale: 1 / count,
      evaluate(r: Float64Array, J: Float64Array): number {
        J.fill(0);
        let loss = 0;
        X.forEach((x, s) => {
          forward(x);
          for (let q = 0; q < nOut; q++) {
            const row = s * nOut + q;
            r[row] = o[q] - T[s][q];
            loss += r[row] * r[row];
            backOutput(x, q, 1, J, row * size);
          }
        });
        return loss / count;
      },
    },
  };
}
