import { describe, expect, it } from 'vitest';
import { stuckRun, type MetricPoint } from '../../../src-engine/train';

const history = (losses: number[]): MetricPoint[] => losses.map((loss, i) => ({ epoch: i + 1, loss }));
/** Falls from 0.7 to `plateau` by epoch `at`, then stays there (±jitter). */
const plateau = (n: number, at: number, level: number, jitter = 0): number[] =>
  Array.from({ length: n }, (_, i) => (i < at ? 0.7 - ((0.7 - level) * i) / at : level + (i % 2 ? jitter : -jitter)));

describe('stuckRun', () => {
  it("names XOR's 0.347 plateau with the epoch it began and suggests another seed first", () => {
    const s = stuckRun(history(plateau(200, 80, 0.3466)), { solvedLoss: 0.05 });
    expect(s).not.toBeNull();
    expect(s!.loss).toBeCloseTo(0.3466, 4);
    // Within 2 % of 0.3466 from index 79 on (0.7 − 0.3534·79/80 = 0.3510, 1.3 % above): epoch 80.
    expect(s!.since).toBe(80);
    expect(s!.tries).toEqual(['seed', 'lr_up']);
  });

  it('is silent for a solved run, a run still falling, and a short run', () => {
    expect(stuckRun(history(plateau(200, 80, 0.01)), { solvedLoss: 0.05 })).toBeNull();
    const falling = Array.from({ length: 200 }, (_, i) => 0.7 * Math.exp(-i / 100));
    expect(stuckRun(history(falling), { solvedLoss: 0.05 })).toBeNull();
    expect(stuckRun(history(plateau(20, 5, 0.3466)), { solvedLoss: 0.05 })).toBeNull();
  });

  it('leaves a diverged run to its own message', () => {
    const losses = plateau(100, 20, 0.4);
    losses[99] = Number.NaN;
    expect(stuckRun(history(losses), { solvedLoss: 0.05 })).toBeNull();
  });

  it('suggests a smaller learning rate first when the flat stretch keeps jumping up', () => {
    // Zig-zag of ±3 % around 0.5: flat on the whole, but half the steps go up.
    const s = stuckRun(history(plateau(100, 20, 0.5, 0.015)), { solvedLoss: 0.05, tolerance: 0.05 });
    expect(s?.tries).toEqual(['lr_down', 'seed']);
  });
});
