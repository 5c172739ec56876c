import type { Objective, Optimizer } from './types';
import { allFinite, lrSpec, num, pair, type HyperSpec, type Hypers, type OptimizerDef } from './hyper';

type Variant = 'adam' | 'adamw' | 'adamax' | 'nadam';

/**
 * The Adam family, step for step as torch.optim 1.13 (single-tensor path), state in float64.
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
 *   adam:   θ ← θ − η·m̂/(√v̂ + ε)    (amsgrad: v̂ from the running maximum of v; weight decay adds λθ to g)
 *   adamw:  θ ← θ(1 − ηλ) first, then the adam step without λ in g (decoupled decay)
 *   adamax: u ← max(β₂u, |g| + ε),  θ ← θ − η/(1−β₁ᵗ)·m/u
 *   nadam:  μₜ = β₁(1 − ½·0.96^(tψ)),  θ ← θ − η(1−μₜ)/(1−Πμ)·g/(√v̂+ε) − η·μₜ₊₁/(1−Π')·m/(√v̂+ε)
 * A non-finite loss or gradient leaves θ and the state untouched.
 */
class AdamFamily implements Optimizer {
  readonly fullBatchOnly = false;
  lr: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly vmax: Float64Array;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly amsgrad: boolean;
  private readonly momentumDecay: number;
  private t = 0;
  private muProduct = 1;
  private effective = 0;

  constructor(
    readonly name: Variant,
    h: Hypers,
    size: number,
  ) {
    this.lr = num(h, 'lr');
    [this.beta1, this.beta2] = pair(h, 'betas');
    this.eps = num(h, 'eps');
    this.weightDecay = num(h, 'weight_decay');
    this.amsgrad = h.amsgrad === true;
    this.momentumDecay = name === 'nadam' ? num(h, 'momentum_decay') : 0;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.vmax = new Float64Array(this.amsgrad ? size : 0);
  }

  step(objective: Objective): number {
    const loss = objective.evaluate();
    const g = objective.grad;
    const theta = objective.theta;
    if (!Number.isFinite(loss) || !allFinite(g)) return loss;
    const t = ++this.t;
    const { beta1: b1, beta2: b2, eps, lr, m, v, vmax, name } = this;
    const wd = name === 'adamw' ? 0 : this.weightDecay;
    const decay = name === 'adamw' ? 1 - lr * this.weightDecay : 1;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const sqrtBc2 = Math.sqrt(bc2);
    let gradCoef = 0;
    let avgCoef = lr / bc1;
    if (name === 'nadam') {
      const mu = b1 * (1 - 0.5 * 0.96 ** (t * this.momentumDecay));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * this.momentumDecay));
      this.muProduct *= mu;
      // torch 1.13's single-tensor NAdam multiplies μₜ in twice here (fixed in torch 2.0); kept for parity.
      const muProductNext = this.muProduct * mu * muNext;
      gradCoef = (lr * (1 - mu)) / (1 - this.muProduct);
      avgCoef = (lr * muNext) / (1 - muProductNext);
    }
    let sum = 0;
    for (let i = 0; i < theta.length; i++) {
      const before = theta[i];
      const d = wd !== 0 ? g[i] + wd * before : g[i];
      m[i] = b1 * m[i] + (1 - b1) * d;
      let x = before * decay;
      if (name === 'adamax') {
        v[i] = Math.max(b2 * v[i], Math.abs(d) + eps);
        x -= avgCoef * (m[i] / v[i]);
      } else {
        v[i] = b2 * v[i] + (1 - b2) * d * d;
        let second = v[i];
        if (this.amsgrad) second = vmax[i] = Math.max(vmax[i], v[i]);
        if (name === 'nadam') {
          const denom = Math.sqrt(second / bc2) + eps;
          x -= gradCoef * (d / denom);
          x -= avgCoef * (m[i] / denom);
        } else {
          x -= avgCoef * (m[i] / (Math.sqrt(second) / sqrtBc2 + eps));
        }
      }
      theta[i] = x;
      sum += Math.abs(x - before);
    }
    this.effective = theta.length ? sum / theta.length : 0;
    return loss;
  }

  stats(): Record<string, number> {
    return { effective_step: this.effective };
  }

  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.vmax.fill(0);
    this.t = 0;
    this.muProduct = 1;
    this.effective = 0;
  }
}

const betas: HyperSpec = {
  name: 'betas',
  kind: 'pair',
  default: [0.9, 0.999],
  min: 0,
  max: 1,
  maxOpen: true,
  doc: 'decay rates (β₁, β₂) of the first and second moment estimates',
};
const eps: HyperSpec = { name: 'eps', kind: 'number', default: 1e-8, min: 0, doc: 'ε added to the denominator' };
const wd = (def: number, doc: string): HyperSpec => ({
  name: 'weight_decay',
  kind: 'number',
  default: def,
  min: 0,
  doc,
});
const amsgrad: HyperSpec = {
  name: 'amsgrad',
  kind: 'bool',
  default: false,
  doc: 'use the running maximum of v (AMSGrad)',
};
const STATS = ['effective_step'];

export const ADAM_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'adam',
      label: 'Adam',
      fullBatchOnly: false,
      hyper: [lrSpec(0.001), betas, eps, wd(0, 'L2 penalty λ added to the gradient'), amsgrad],
      description:
        'Adam keeps running averages of the gradient m and of its square v, corrects their start-up bias ' +
        'and steps θ ← θ − η·m̂/(√v̂ + ε): momentum with a per-weight step scale. AMSGrad uses the largest v seen.',
      stats: STATS,
    },
    create: (h, size) => new AdamFamily('adam', h, size),
  },
  {
    info: {
      name: 'adamw',
      label: 'AdamW',
      fullBatchOnly: false,
      hyper: [lrSpec(0.001), betas, eps, wd(0.01, 'decoupled decay λ: θ ← θ(1 − ηλ) each step'), amsgrad],
      description:
        'AdamW is Adam with decoupled weight decay: the weights shrink by θ ← θ(1 − ηλ) before the Adam ' +
        'step, instead of λθ being added to the gradient (where Adam’s scaling would weaken it).',
      stats: STATS,
    },
    create: (h, size) => new AdamFamily('adamw', h, size),
  },
  {
    info: {
      name: 'adamax',
      label: 'Adamax',
      fullBatchOnly: false,
      hyper: [lrSpec(0.002), betas, eps, wd(0, 'L2 penalty λ added to the gradient')],
      description:
        'Adamax replaces Adam’s root-mean-square with an exponentially weighted infinity norm: ' +
        'u ← max(β₂u, |g| + ε), θ ← θ − η/(1 − β₁ᵗ)·m/u.',
      stats: STATS,
    },
    create: (h, size) => new AdamFamily('adamax', h, size),
  },
  {
    info: {
      name: 'nadam',
      label: 'NAdam',
      fullBatchOnly: false,
      hyper: [
        lrSpec(0.002),
        betas,
        eps,
        wd(0, 'L2 penalty λ added to the gradient'),
        { name: 'momentum_decay', kind: 'number', default: 0.004, min: 0, doc: 'ψ in μₜ = β₁(1 − ½·0.96^(tψ))' },
      ],
      description:
        'NAdam is Adam with Nesterov momentum: the step mixes the current gradient and the next momentum, ' +
        'θ ← θ − η(1−μₜ)/(1−Πμ)·g/(√v̂+ε) − η·μₜ₊₁/(1−Πμ·μₜ₊₁)·m/(√v̂+ε), with a warming momentum schedule μₜ.',
      stats: STATS,
    },
    create: (h, size) => new AdamFamily('nadam', h, size),
  },
];
