/**
 * The TensorFlow Playground's 2-D data generators, rewritten from their described behaviour
 * (../shared/PLAYGROUND.md). Every generator takes the number of points N, the noise n ∈ [0, 0.5]
 * and a seeded Rng, and returns points {x, y, label} in generation order (unshuffled); labels are
 * ±1 for classification and a real value in [−1, 1] for regression.
 */
import type { Rng } from '../tensor';
import { DatasetError } from './errors';

export interface PlaygroundPoint {
  x: number;
  y: number;
  label: number;
}

export type PlaygroundGenerator = (numPoints: number, noise: number, rng: Rng) => PlaygroundPoint[];

/** Circle of radius 5: N/2 points with r ~ U(0, 2.5), N/2 with r ~ U(3.5, 5); label +1 iff the
 * noise-shifted point (x + U(−5,5)·n, y + U(−5,5)·n) lies within 2.5 of the origin. */
export const circle: PlaygroundGenerator = (numPoints, noise, rng) => {
  const radius = 5;
  const points: PlaygroundPoint[] = [];
  const ring = (rMin: number, rMax: number): void => {
    for (let i = 0; i < numPoints / 2; i++) {
      const r = rng.uniform(rMin, rMax);
      const angle = rng.uniform(0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const nx = x + rng.uniform(-radius, radius) * noise;
      const ny = y + rng.uniform(-radius, radius) * noise;
      points.push({ x, y, label: Math.hypot(nx, ny) < radius * 0.5 ? 1 : -1 });
    }
  };
  ring(0, radius * 0.5);
  ring(radius * 0.7, radius);
  return points;
};

/** XOR: x, y ~ U(−5, 5) pushed 0.3 away from 0; label +1 iff (x + U(−5,5)·n)(y + U(−5,5)·n) ≥ 0. */
export const xor2d: PlaygroundGenerator = (numPoints, noise, rng) => {
  const padding = 0.3;
  const points: PlaygroundPoint[] = [];
  for (let i = 0; i < numPoints; i++) {
    let x = rng.uniform(-5, 5);
    x += x > 0 ? padding : -padding;
    let y = rng.uniform(-5, 5);
    y += y > 0 ? padding : -padding;
    const nx = x + rng.uniform(-5, 5) * noise;
    const ny = y + rng.uniform(-5, 5) * noise;
    points.push({ x, y, label: nx * ny >= 0 ? 1 : -1 });
  }
  return points;
};

/** Two Gaussians: N/2 at (2, 2) labelled +1, N/2 at (−2, −2) labelled −1, variance
 * v = 0.5 + 7·n (n ∈ [0, 0.5] → v ∈ [0.5, 4]), i.e. standard deviation √v per coordinate. */
export const gauss: PlaygroundGenerator = (numPoints, noise, rng) => {
  const std = Math.sqrt(0.5 + ((4 - 0.5) * noise) / 0.5);
  const points: PlaygroundPoint[] = [];
  const blob = (cx: number, cy: number, label: number): void => {
    for (let i = 0; i < numPoints / 2; i++) points.push({ x: rng.normal(cx, std), y: rng.normal(cy, std), label });
  };
  blob(2, 2, 1);
  blob(-2, -2, -1);
  return points;
};

/** Two spiral arms of N/2 points: r = 5·i/(N/2), t = 1.75·2π·i/(N/2) + δ (δ = 0 → +1, π → −1),
 * x = r·sin t + U(−1,1)·n, y = r·cos t + U(−1,1)·n. */
export const spiral: PlaygroundGenerator = (numPoints, noise, rng) => {
  const half = numPoints / 2;
  const points: PlaygroundPoint[] = [];
  const arm = (delta: number, label: number): void => {
    for (let i = 0; i < half; i++) {
      const r = (i / half) * 5;
      const t = ((1.75 * i) / half) * 2 * Math.PI + delta;
      points.push({
        x: r * Math.sin(t) + rng.uniform(-1, 1) * noise,
        y: r * Math.cos(t) + rng.uniform(-1, 1) * noise,
        label,
      });
    }
  };
  arm(0, 1);
  arm(Math.PI, -1);
  return points;
};

/**
 * Points x, y ~ U(−6, 6), each labelled at its noise-shifted position (x + U(−6,6)·n, y + U(−6,6)·n):
 * the regression sets move the point the label is read at, not the point itself.
 */
function regression(numPoints: number, noise: number, rng: Parameters<PlaygroundGenerator>[2], label: (x: number, y: number) => number): PlaygroundPoint[] {
  const radius = 6;
  const points: PlaygroundPoint[] = [];
  for (let i = 0; i < numPoints; i++) {
    const x = rng.uniform(-radius, radius);
    const y = rng.uniform(-radius, radius);
    const nx = x + rng.uniform(-radius, radius) * noise;
    const ny = y + rng.uniform(-radius, radius) * noise;
    points.push({ x, y, label: label(nx, ny) });
  }
  return points;
}

/** Regression plane: label = ((x + U(−6,6)·n) + (y + U(−6,6)·n)) / 10. */
export const regPlane: PlaygroundGenerator = (numPoints, noise, rng) => regression(numPoints, noise, rng, (nx, ny) => (nx + ny) / 10);

/** The six signed centres of the regression-Gaussians set: [cx, cy, sign]. */
export const REG_GAUSS_CENTRES: readonly (readonly [number, number, number])[] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** The regression-Gaussians target at (x, y): of sign·clamp(1 − d/2, 0, 1) over the six centres
 * (d = distance to the centre), the one largest in absolute value (the first on ties). */
export function regGaussLabel(x: number, y: number): number {
  let label = 0;
  for (const [cx, cy, sign] of REG_GAUSS_CENTRES) {
    const v = sign * Math.min(1, Math.max(0, 1 - Math.hypot(x - cx, y - cy) / 2));
    if (Math.abs(v) > Math.abs(label)) label = v;
  }
  return label;
}

/** Regression Gaussians: label = regGaussLabel at the noise-shifted point. */
export const regGauss: PlaygroundGenerator = (numPoints, noise, rng) => regression(numPoints, noise, rng, regGaussLabel);

/**
 * Four Gaussian blobs (not in the Playground, which has no multi-class set): N/4 points around each of
 * (2.5, 2.5), (−2.5, 2.5), (−2.5, −2.5), (2.5, −2.5), labelled 0, 1, 2, 3, with the Gauss set's
 * noise-to-variance mapping.
 */
export const blobs: PlaygroundGenerator = (numPoints, noise, rng) => {
  const std = Math.sqrt(0.5 + ((4 - 0.5) * noise) / 0.5);
  const centres = [[2.5, 2.5], [-2.5, 2.5], [-2.5, -2.5], [2.5, -2.5]];
  const points: PlaygroundPoint[] = [];
  centres.forEach(([cx, cy], label) => {
    for (let i = 0; i < numPoints / 4; i++) points.push({ x: rng.normal(cx, std), y: rng.normal(cy, std), label });
  });
  return points;
};

export type PlaygroundName = 'circle' | 'xor2d' | 'gauss' | 'spiral' | 'reg-plane' | 'reg-gauss' | 'blobs';

/**
 * The playground sets by name, with their task, number of classes (labels ±1 for two classes, the
 * class index for more) and the playground's default size.
 */
export const PLAYGROUND_SETS: Readonly<
  Record<PlaygroundName, { generate: PlaygroundGenerator; task: 'classification' | 'regression'; classes: number; defaultPoints: number }>
> = {
  circle: { generate: circle, task: 'classification', classes: 2, defaultPoints: 500 },
  xor2d: { generate: xor2d, task: 'classification', classes: 2, defaultPoints: 500 },
  gauss: { generate: gauss, task: 'classification', classes: 2, defaultPoints: 500 },
  spiral: { generate: spiral, task: 'classification', classes: 2, defaultPoints: 500 },
  'reg-plane': { generate: regPlane, task: 'regression', classes: 0, defaultPoints: 1200 },
  'reg-gauss': { generate: regGauss, task: 'regression', classes: 0, defaultPoints: 1200 },
  blobs: { generate: blobs, task: 'classification', classes: 4, defaultPoints: 500 },
};

export function isPlaygroundName(name: string): name is PlaygroundName {
  return Object.prototype.hasOwnProperty.call(PLAYGROUND_SETS, name);
}

/**
 * A playground set as the playground builds it: generated, then shuffled once with the same Rng.
 * Throws DatasetError for an unknown name, a point count < 2, or noise outside [0, 0.5].
 */
export function generatePlayground(name: string, numPoints: number, noise: number, rng: Rng): PlaygroundPoint[] {
  if (!isPlaygroundName(name)) {
    throw new DatasetError(`unknown playground set '${name}' (known: ${Object.keys(PLAYGROUND_SETS).join(', ')})`, 'name');
  }
  if (!Number.isInteger(numPoints) || numPoints < 2) {
    throw new DatasetError(`number of points must be an integer ≥ 2, got ${numPoints}`, 'points');
  }
  if (!(noise >= 0 && noise <= 0.5)) throw new DatasetError(`noise must be in [0, 0.5], got ${noise}`, 'noise');
  const points = PLAYGROUND_SETS[name].generate(numPoints, noise, rng);
  const order = rng.shuffle(points.map((_, i) => i));
  return order.map((i) => points[i]);
}
