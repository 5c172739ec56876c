/**
 * A run that ended stuck: the loss stopped falling well above "solved" — XOR's sigmoid net parked at
 * 0.347 (one of four points given up) or 0.5 (all outputs ½) is the course's example. Plateaus of that
 * kind are a property of the start (a local minimum or flat region the weights fell into), so the
 * hint is the lecture's: another seed, or another learning rate. A loss still falling is never stuck.
 */
import type { MetricPoint } from './types';

export interface StuckRun {
  /** The loss the run is stuck at. */
  loss: number;
  /** The epoch from which it stopped improving. */
  since: number;
  /** What to try, in the order worth trying. */
  tries: ('seed' | 'lr_up' | 'lr_down')[];
}

export interface StuckOptions {
  /** Below this the run is solved, not stuck. */
  solvedLoss: number;
  /** The fraction of the run that must be flat (default 0.3). */
  flatFraction?: number;
  /** Relative improvement over the flat stretch under which it counts as flat (default 2 %). */
  tolerance?: number;
  /** Runs shorter than this are too short to judge (default 30 epochs). */
  minEpochs?: number;
}

/**
 * The stuck diagnosis of a finished run's history, or null when it is solved, still improving,
 * too short to tell, or diverged (a NaN/∞ loss has its own message). A loss that jumped around
 * (spikes) over the flat stretch suggests a smaller rate first; a smooth plateau a larger one.
 */
export function stuckRun(history: readonly MetricPoint[], options: StuckOptions): StuckRun | null {
  const { solvedLoss, flatFraction = 0.3, tolerance = 0.02, minEpochs = 30 } = options;
  if (history.length < minEpochs) return null;
  const losses = history.map((p) => p.loss);
  if (!losses.every(Number.isFinite)) return null;
  const last = losses[losses.length - 1];
  if (last < solvedLoss) return null;
  const start = Math.floor(losses.length * (1 - flatFraction));
  const atStart = losses[start];
  if ((atStart - last) / Math.max(atStart, 1e-12) > tolerance) return null;
  // From which epoch has the loss been within the tolerance of where it ended?
  let since = losses.length - 1;
  while (since > 0 && Math.abs(losses[since - 1] - last) <= tolerance * Math.max(last, 1e-12)) since--;
  let ups = 0;
  for (let i = start + 1; i < losses.length; i++) if (losses[i] > losses[i - 1] * (1 + tolerance)) ups++;
  const jumpy = ups > (losses.length - start) / 4;
  return { loss: last, since: history[since].epoch, tries: jumpy ? ['lr_down', 'seed'] : ['seed', 'lr_up'] };
}
