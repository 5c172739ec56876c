import type { Objective, Optimizer } from './types';
import { Arena, type Buf } from '../tensor';
import { gradientFinite, lrSpec, num, pair, type HyperSpec, type Hypers, type OptimizerDef } from './hyper';

type Variant = 'adam' | 'adamw' | 'adamax' | 'nadam';

/**
 * The Adam family, step for step as torch.optim 1.13 (single-tensor path), state in float64 (adam and
 * adamw on a float32 model with a WebAssembly arena: float32 state and the SIMD kernel, as torch in float32).
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
  /**
   * Adam and AdamW on a float32 model with a WebAssembly arena run in its SIMD kernel, the moments kept
   * there in float32 (as torch keeps them for float32 parameters); decided at the first step.
   */
  private simd: { arena: Arena; mAt: number; vAt: number } | null = null;
  private placed = false;

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
    if (!Number.isFinite(loss) || !gradientFinite(objective)) return loss;
    if (!this.placed) this.place(objective);
    const g = objective.grad;
    const theta = objective.theta;
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
    const simd = this.simd;
    if (simd && Arena.of(theta, g, theta, null) !== simd.arena) this.leaveArena();
    // One loop per variant: branching per weight inside a single loop costs V8 more than the loop.
    let sum: number;
    if (this.simd) sum = this.simd.arena.adam(theta as Float32Array, g as Float32Array, this.simd.mAt, this.simd.vAt, b1, b2, eps, wd, decay, avgCoef, sqrtBc2);
    else if (name === 'adamax') sum = adamaxLoop(theta, g, m, v, b1, b2, eps, wd, avgCoef);
    else if (name === 'nadam') sum = nadamLoop(theta, g, m, v, vmax, this.amsgrad, b1, b2, eps, wd, bc2, gradCoef, avgCoef);
    else if (this.amsgrad) sum = amsgradLoop(theta, g, m, v, vmax, b1, b2, eps, wd, decay, avgCoef, sqrtBc2);
    else sum = adamLoop(theta, g, m, v, b1, b2, eps, wd, decay, avgCoef, sqrtBc2);
    this.effective = theta.length ? sum / theta.length : 0;
    return loss;
  }

  stats(): Record<string, number> {
    return { effective_step: this.effective };
  }

  /** Moves the moments into the model's arena when the SIMD kernel can run this variant there. */
  private place(objective: Objective): void {
    this.placed = true;
    const { theta, grad } = objective;
    if (this.amsgrad || (this.name !== 'adam' && this.name !== 'adamw')) return;
    const arena = theta instanceof Float32Array ? Arena.of(theta, grad, theta, null) : null;
    if (!arena) return;
    // Each insert may grow the memory, which detaches θ's view (its length becomes 0): size first.
    const n = theta.length;
    const mAt = arena.insert(n);
    const vAt = arena.insert(n);
    this.simd = { arena, mAt, vAt };
  }

  /** Back to float64 moments in JavaScript (a θ outside the arena the state lives in). */
  private leaveArena(): void {
    const { arena, mAt, vAt } = this.simd!;
    this.m.set(arena.view(mAt, this.m.length));
    this.v.set(arena.view(vAt, this.v.length));
    this.simd = null;
  }

  reset(): void {
    if (this.simd) {
      const { arena, mAt, vAt } = this.simd;
      arena.view(mAt, this.m.length).fill(0);
      arena.view(vAt, this.v.length).fill(0);
    }
    this.m.fill(0);
    this.v.fill(0);
    this.vmax.fill(0);
    this.t = 0;
    this.muProduct = 1;
    this.effective = 0;
  }
}

/*
 * The update loops, one per variant, with torch's order of operations (the arithmetic is unchanged
 * from the single loop they replace, so results are bit for bit the same). Each returns Σ|Δθ|.
 */

/** adam and adamw: m ← β₁m + (1−β₁)d, v ← β₂v + (1−β₂)d², θ ← θ·decay − a·m/(√v/√bc₂ + ε). */
function adamLoop(theta: Buf, g: Buf, m: Float64Array, v: Float64Array, b1: number, b2: number, eps: number, wd: number, decay: number, a: number, sqrtBc2: number): number {
  let sum = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    const d = wd !== 0 ? g[i] + wd * before : g[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * d);
    const vi = (v[i] = b2 * v[i] + (1 - b2) * d * d);
    const x = before * decay - a * (mi / (Math.sqrt(vi) / sqrtBc2 + eps));
    theta[i] = x;
    sum += Math.abs(x - before);
  }
  return sum;
}

/** adam and adamw with amsgrad: the denominator from the running maximum of v. */
function amsgradLoop(theta: Buf, g: Buf, m: Float64Array, v: Float64Array, vmax: Float64Array, b1: number, b2: number, eps: number, wd: number, decay: number, a: number, sqrtBc2: number): number {
  let sum = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    const d = wd !== 0 ? g[i] + wd * before : g[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * d);
    const vi = (v[i] = b2 * v[i] + (1 - b2) * d * d);
    const second = (vmax[i] = Math.max(vmax[i], vi));
    const x = before * decay - a * (mi / (Math.sqrt(second) / sqrtBc2 + eps));
    theta[i] = x;
    sum += Math.abs(x - before);
  }
  return sum;
}

/** adamax: u ← max(β₂u, |d| + ε), θ ← θ − a·m/u. */
function adamaxLoop(theta: Buf, g: Buf, m: Float64Array, v: Float64Array, b1: number, b2: number, eps: number, wd: number, a: number): number {
  let sum = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    const d = wd !== 0 ? g[i] + wd * before : g[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * d);
    const u = (v[i] = Math.max(b2 * v[i], Math.abs(d) + eps));
    const x = before - a * (mi / u);
    theta[i] = x;
    sum += Math.abs(x - before);
  }
  return sum;
}

/** nadam: θ ← θ − c_g·d/(√(v/bc₂) + ε) − c_m·m/(√(v/bc₂) + ε). */
function nadamLoop(theta: Buf, g: Buf, m: Float64Array, v: Float64Array, vmax: Float64Array, amsgrad: boolean, b1: number, b2: number, eps: number, wd: number, bc2: number, gradCoef: number, avgCoef: number): number {
  let sum = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    const d = wd !== 0 ? g[i] + wd * before : g[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * d);
    let second = (v[i] = b2 * v[i] + (1 - b2) * d * d);
    if (amsgrad) second = vmax[i] = Math.max(vmax[i], second);
    const denom = Math.sqrt(second / bc2) + eps;
    let x = before;
    x -= gradCoef * (d / denom);
    x -= avgCoef * (mi / denom);
    theta[i] = x;
    sum += Math.abs(x - before);
  }
  return sum;
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
