/** Playground input features (x1, x2, x1², x2², x1·x2, sin x1, sin x2). */
import { DatasetError } from './errors';
import type { PlaygroundPoint } from './playground';

export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';

/** Each feature as a function of the point (x1 = x, x2 = y), with the label the UI shows. */
export const FEATURES: Readonly<Record<FeatureName, { label: string; map: (x: number, y: number) => number }>> = {
  x1: { label: 'X₁', map: (x) => x },
  x2: { label: 'X₂', map: (_x, y) => y },
  x1sq: { label: 'X₁²', map: (x) => x * x },
  x2sq: { label: 'X₂²', map: (_x, y) => y * y },
  x1x2: { label: 'X₁X₂', map: (x, y) => x * y },
  sinx1: { label: 'sin(X₁)', map: (x) => Math.sin(x) },
  sinx2: { label: 'sin(X₂)', map: (_x, y) => Math.sin(y) },
};

export const DEFAULT_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

export function isFeatureName(name: string): name is FeatureName {
  return Object.prototype.hasOwnProperty.call(FEATURES, name);
}

/**
 * Input columns for points: row i = [f(x_i, y_i) for f in features] — shape [N][features.length].
 * Throws DatasetError naming the first unknown or repeated feature, or an empty list.
 */
export function featureColumns(points: readonly PlaygroundPoint[], features: readonly string[] = DEFAULT_FEATURES): number[][] {
  if (features.length === 0) throw new DatasetError('choose at least one input feature', 'features');
  const maps = features.map((f, i) => {
    if (!isFeatureName(f)) {
      throw new DatasetError(`unknown feature '${f}' (known: ${Object.keys(FEATURES).join(', ')})`, `features[${i}]`);
    }
    if (features.indexOf(f) !== i) throw new DatasetError(`feature '${f}' is listed twice`, `features[${i}]`);
    return FEATURES[f].map;
  });
  return points.map((p) => maps.map((m) => m(p.x, p.y)));
}
