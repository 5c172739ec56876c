import type { Objective, Optimizer } from './types';
import { gradientFinite, lrSpec, num, type Hypers, type OptimizerDef } from './hyper';

/**
 * Quickprop (Fahlman 1988) with the lecture's per-weight rules. With S = ∇E + ρθ and Δ the previous
 * change of a weight (θ ← θ + Δ):
 *   β = Sₜ/(Sₜ₋₁ − Sₜ)  (the jump to the minimum of the parabola through both slopes),  γ = Sₜ·(−Δ)·β
 *   μ = μ_max when β > μ_max or γ < 0 (the parabola opens downwards, or the step would grow too much), else β
 *   η = η₀ when Δ = 0 or −Δ·Sₜ > 0 (the slope kept its sign: keep descending), else 0
 *   Δ ← −η·Sₜ + μ·Δ
 * The first step (Δ = 0 everywhere) is therefore plain gradient descent, and a weight whose step
 * vanished restarts from gradient descent. Sₜ₋₁ = Sₜ (β undefined) takes μ = μ_max.
 * A non-finite loss or gradient leaves θ and the state untouched.
 */
class Quickprop implements Optimizer {
  readonly name = 'quickprop';
  readonly fullBatchOnly = false;
  lr: number;
  private readonly muMax: number;
  private readonly weightDecay: number;
  private readonly prevSlope: Float64Array;
  private readonly delta: Float64Array;
  private meanStep = 0;
  private maxGrowth = 0;

  constructor(h: Hypers, size: number) {
    this.lr = num(h, 'lr');
    this.muMax = num(h, 'mu_max');
    this.weightDecay = num(h, 'weight_decay');
    this.prevSlope = new Float64Array(size);
    this.delta = new Float64Array(size);
  }

  step(objective: Objective): number {
    const loss = objective.evaluate();
    const g = objective.grad;
    const theta = objective.theta;
    if (!Number.isFinite(loss) || !gradientFinite(objective)) return loss;
    const { prevSlope, delta, muMax, weightDecay: rho, lr } = this;
    let sum = 0;
    let grown = 0;
    for (let i = 0; i < theta.length; i++) {
      const s = g[i] + rho * theta[i];
      const d = delta[i];
      let next: number;
      if (d === 0) {
        next = -lr * s;
      } else {
        const denom = prevSlope[i] - s;
        let mu = muMax;
        if (denom !== 0) {
          const beta = s / denom;
          const gamma = s * -d * beta;
          if (!(beta > muMax || gamma < 0)) mu = beta;
        }
        if (mu === muMax) grown++;
        const eta = -d * s > 0 ? lr : 0;
        next = -eta * s + mu * d;
      }
      const before = theta[i];
      theta[i] = before + next;
      // The stored step is what θ really moved by, so float32 rounding cannot fake a non-zero step.
      delta[i] = theta[i] - before;
      prevSlope[i] = s;
      sum += Math.abs(delta[i]);
    }
    const n = theta.length || 1;
    this.meanStep = sum / n;
    this.maxGrowth = grown / n;
    return loss;
  }

  stats(): Record<string, number> {
    return { mean_step: this.meanStep, max_growth_fraction: this.maxGrowth };
  }

  reset(): void {
    this.prevSlope.fill(0);
    this.delta.fill(0);
    this.meanStep = 0;
    this.maxGrowth = 0;
  }
}

export const QUICKPROP_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'quickprop',
      label: 'Quickprop',
      fullBatchOnly: false,
      hyper: [
        lrSpec(0.1, 'gradient step η₀ (the lecture suggests 0.01…0.6)'),
        { name: 'mu_max', kind: 'number', default: 1.75, min: 0, minOpen: true, doc: 'largest growth factor μ_max' },
        { name: 'weight_decay', kind: 'number', default: 0, min: 0, doc: 'ρ in S = ∇E + ρθ' },
      ],
      description:
        'Quickprop fits a parabola through each weight’s last two slopes and jumps to its minimum: ' +
        'Δ ← −η·S + μ·Δ with μ = Sₜ/(Sₜ₋₁ − Sₜ), capped at μ_max = 1.75 (and used whenever the parabola ' +
        'opens downwards); the gradient term is kept only while the slope has not changed sign. Full-batch.',
      stats: ['mean_step', 'max_growth_fraction'],
    },
    create: (h, size) => new Quickprop(h, size),
  },
];
