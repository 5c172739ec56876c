import type { Objective, Optimizer } from './types';
import { gradientFinite, lrSpec, pair, type Hypers, type OptimizerDef } from './hyper';

/**
 * Resilient propagation, as torch.optim.Rprop (1.13) — the lecture's rProp with its constants.
 * Per weight, with s = gₜ·gₜ₋₁:  ηᵢ ← clamp(ηᵢ·(s > 0 ? η₊ : s < 0 ? η₋ : 1), η_min, η_max);
 * after a sign change the gradient is treated as 0 (no step, and no sign test next time);
 * θᵢ ← θᵢ − ηᵢ·sign(gᵢ). Only the sign of the gradient is used. Step sizes start at `lr`.
 * A non-finite loss or gradient leaves θ and the state untouched.
 */
class Rprop implements Optimizer {
  readonly name = 'rprop';
  readonly fullBatchOnly = false;
  lr: number;
  private readonly prev: Float64Array;
  private readonly stepSize: Float64Array;
  private readonly etaMinus: number;
  private readonly etaPlus: number;
  private readonly stepMin: number;
  private readonly stepMax: number;
  private started = false;

  constructor(h: Hypers, size: number) {
    this.lr = h.lr as number;
    [this.etaMinus, this.etaPlus] = pair(h, 'etas');
    [this.stepMin, this.stepMax] = pair(h, 'step_sizes');
    this.prev = new Float64Array(size);
    this.stepSize = new Float64Array(size);
  }

  step(objective: Objective): number {
    const loss = objective.evaluate();
    const g = objective.grad;
    const theta = objective.theta;
    if (!Number.isFinite(loss) || !gradientFinite(objective)) return loss;
    const { prev, stepSize, etaMinus, etaPlus, stepMin, stepMax } = this;
    if (!this.started) {
      stepSize.fill(this.lr);
      this.started = true;
    }
    for (let i = 0; i < theta.length; i++) {
      const s = g[i] * prev[i];
      const factor = s > 0 ? etaPlus : s < 0 ? etaMinus : 1;
      stepSize[i] = Math.min(Math.max(stepSize[i] * factor, stepMin), stepMax);
      const gi = factor === etaMinus ? 0 : g[i];
      theta[i] = theta[i] - Math.sign(gi) * stepSize[i];
      prev[i] = gi;
    }
    return loss;
  }

  stats(): Record<string, number> {
    let sum = 0;
    for (let i = 0; i < this.stepSize.length; i++) sum += this.stepSize[i];
    return { mean_step: this.stepSize.length && this.started ? sum / this.stepSize.length : 0 };
  }

  reset(): void {
    this.prev.fill(0);
    this.stepSize.fill(0);
    this.started = false;
  }
}

export const RPROP_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'rprop',
      label: 'RProp',
      fullBatchOnly: false,
      hyper: [
        lrSpec(0.01, 'initial step size η₀ of every weight'),
        { name: 'etas', kind: 'pair', default: [0.5, 1.2], min: 0, doc: '(η₋, η₊): shrink and growth factors' },
        { name: 'step_sizes', kind: 'pair', default: [1e-6, 50], min: 0, doc: '(η_min, η_max): step size bounds' },
      ],
      description:
        'RProp ignores the size of the gradient and keeps one step size per weight: it grows by η₊ while ' +
        'the gradient keeps its sign and shrinks by η₋ when the sign flips (a minimum was jumped over), ' +
        'within [η_min, η_max]; θ ← θ − η·sign(∇E). Meant for full-batch training.',
      stats: ['mean_step'],
    },
    check: (h, fail) => {
      const [minus, plus] = h.etas as [number, number];
      if (!(minus > 0 && minus < 1 && plus > 1)) fail('etas', `etas must satisfy 0 < etas[0] < 1 < etas[1], got [${minus}, ${plus}]`);
      const [lo, hi] = h.step_sizes as [number, number];
      if (lo > hi) fail('step_sizes', `step_sizes[0] must not exceed step_sizes[1], got [${lo}, ${hi}]`);
    },
    create: (h, size) => new Rprop(h, size),
  },
];
