/** The SIMD tanh of float32 models against Math.tanh rounded to float32, on a dense grid and the edges. */
import { describe, expect, it } from 'vitest';
import { Arena, tanhInArena } from '../../../src-engine/tensor';

/** Distance in units of float32's 2⁻²³·|want| (at least the smallest normal), so 1 ≈ one ulp. */
const ulps = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want) * 2 ** -23, 2 ** -126);

function inArena(values: number[]): { x: Float32Array; y: Float32Array } {
  // Sized up front: a growing memory would detach x before y is made.
  const a = Arena.create(8 * values.length + 65536)!;
  a.planScratch(8);
  const x = a.view(a.alloc(values.length), values.length);
  x.set(values);
  const y = a.view(a.alloc(values.length), values.length).fill(99);
  return { x, y };
}

describe('tanhInArena', () => {
  it('is within 3 ulp of float32 tanh over [−12, 12] (and exact where tanh x rounds to x or to ±1)', () => {
    const values = Array.from({ length: 200_001 }, (_, i) => Math.fround(-12 + (24 * i) / 200_000));
    const { x, y } = inArena(values);
    expect(tanhInArena(x, y, x.length)).toBe(true);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(y[i], Math.fround(Math.tanh(x[i]))));
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('keeps NaN, the sign of zero and tiny values, gives ±1 for ±∞ and huge inputs, and handles every tail length', () => {
    const edge = [NaN, -0, 0, 1e-30, -3e-4, Infinity, -Infinity, 3e38, -20, 0.5, 7.9, -7.91, 9];
    for (let n = 1; n <= edge.length; n++) {
      const { x, y } = inArena(edge.slice(0, n));
      expect(tanhInArena(x, y, n)).toBe(true);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(Math.tanh(x[i]));
        if (Number.isNaN(want)) expect(y[i]).toBeNaN();
        else if (want === 0 || Math.abs(x[i]) < 4e-4) expect(Object.is(y[i], x[i])).toBe(true);
        else expect(ulps(y[i], want)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('writes nothing past n, and declines buffers that are not in one arena', () => {
    const { x, y } = inArena([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    tanhInArena(x, y, 3);
    expect(Array.from(y.subarray(3))).toEqual([99, 99, 99]);
    expect(tanhInArena(new Float32Array(4), new Float32Array(4), 4)).toBe(false);
    expect(tanhInArena(new Float64Array(4), new Float64Array(4), 4)).toBe(false);
  });
});
