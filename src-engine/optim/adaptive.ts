import type { Buf } from '../tensor';
import type { Objective, Optimizer } from './types';
import { gradientFinite, lrSpec, num, type Hypers, type OptimizerDef } from './hyper';

/**
 * Per-weight adaptive learning rates (AdaGrad, AdaDelta, RMSprop), step for step as torch.optim 1.13.
 * State is kept in float64. A non-finite loss or gradient leaves θ and the state untouched.
 */
abstract class Adaptive implements Optimizer {
  readonly fullBatchOnly = false;
  lr: number;
  protected steps = 0;
  private effective = 0;

  constructor(
    readonly name: string,
    h: Hypers,
    protected readonly weightDecay = num(h, 'weight_decay'),
  ) {
    this.lr = num(h, 'lr');
  }

  /**
   * Updates every θᵢ from its gradient gᵢ (plus wd·θᵢ) and returns Σ|Δθ|. One loop per method: a call
   * per weight to a method that differs per subclass is megamorphic in V8 and boxes every result.
   */
  protected abstract apply(theta: Buf, g: Buf, wd: number): number;
  protected abstract clear(): void;

  step(objective: Objective): number {
    const loss = objective.evaluate();
    const g = objective.grad;
    const theta = objective.theta;
    if (!Number.isFinite(loss) || !gradientFinite(objective)) return loss;
    this.steps++;
    const sum = this.apply(theta, g, this.weightDecay);
    this.effective = theta.length ? sum / theta.length : 0;
    return loss;
  }

  stats(): Record<string, number> {
    return { effective_step: this.effective };
  }

  reset(): void {
    this.steps = 0;
    this.effective = 0;
    this.clear();
  }
}

/** AdaGrad: G ← G + d², θ ← θ − η/(1 + (t−1)·lr_decay) · d/(√G + ε). */
class Adagrad extends Adaptive {
  private readonly sum: Float64Array;
  private readonly init: number;
  private readonly lrDecay: number;
  private readonly eps: number;
  private clr = 0;

  constructor(h: Hypers, size: number) {
    super('adagrad', h);
    this.init = num(h, 'initial_accumulator_value');
    this.lrDecay = num(h, 'lr_decay');
    this.eps = num(h, 'eps');
    this.sum = new Float64Array(size).fill(this.init);
  }

  override step(objective: Objective): number {
    this.clr = this.lr / (1 + this.steps * this.lrDecay);
    return super.step(objective);
  }

  protected apply(theta: Buf, g: Buf, wd: number): number {
    const { sum: G, clr, eps } = this;
    let moved = 0;
    for (let i = 0; i < theta.length; i++) {
      const before = theta[i];
      const d = wd !== 0 ? g[i] + wd * before : g[i];
      G[i] += d * d;
      theta[i] = before - (clr * d) / (Math.sqrt(G[i]) + eps);
      moved += Math.abs(theta[i] - before);
    }
    return moved;
  }

  protected clear(): void {
    this.sum.fill(this.init);
  }
}

/** AdaDelta: S ← ρS + (1−ρ)d²; Δ = √(D + ε)/√(S + ε) · d; D ← ρD + (1−ρ)Δ²; θ ← θ − η·Δ. */
class Adadelta extends Adaptive {
  private readonly sq: Float64Array;
  private readonly acc: Float64Array;
  private readonly rho: number;
  private readonly eps: number;

  constructor(h: Hypers, size: number) {
    super('adadelta', h);
    this.rho = num(h, 'rho');
    this.eps = num(h, 'eps');
    this.sq = new Float64Array(size);
    this.acc = new Float64Array(size);
  }

  protected apply(theta: Buf, g: Buf, wd: number): number {
    const { rho, eps, sq, acc, lr } = this;
    let moved = 0;
    for (let i = 0; i < theta.length; i++) {
      const before = theta[i];
      const d = wd !== 0 ? g[i] + wd * before : g[i];
      sq[i] = rho * sq[i] + (1 - rho) * d * d;
      const delta = (Math.sqrt(acc[i] + eps) / Math.sqrt(sq[i] + eps)) * d;
      acc[i] = rho * acc[i] + (1 - rho) * delta * delta;
      theta[i] = before - lr * delta;
      moved += Math.abs(theta[i] - before);
    }
    return moved;
  }

  protected clear(): void {
    this.sq.fill(0);
    this.acc.fill(0);
  }
}

/**
 * RMSprop: S ← αS + (1−α)d²; centered: m ← αm + (1−α)d, a = √(S − m²) + ε, else a = √S + ε;
 * with momentum b ← μb + d/a, θ ← θ − η·b, else θ ← θ − η·d/a.
 */
class Rmsprop extends Adaptive {
  private readonly sq: Float64Array;
  private readonly avg: Float64Array;
  private readonly buf: Float64Array;
  private readonly alpha: number;
  private readonly eps: number;
  private readonly momentum: number;
  private readonly centered: boolean;

  constructor(h: Hypers, size: number) {
    super('rmsprop', h);
    this.alpha = num(h, 'alpha');
    this.eps = num(h, 'eps');
    this.momentum = num(h, 'momentum');
    this.centered = h.centered === true;
    this.sq = new Float64Array(size);
    this.avg = new Float64Array(this.centered ? size : 0);
    this.buf = new Float64Array(this.momentum > 0 ? size : 0);
  }

  protected apply(theta: Buf, g: Buf, wd: number): number {
    const { alpha, eps, momentum, centered, sq, avg, buf, lr } = this;
    let moved = 0;
    for (let i = 0; i < theta.length; i++) {
      const before = theta[i];
      const d = wd !== 0 ? g[i] + wd * before : g[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
      let a: number;
      if (centered) {
        avg[i] = alpha * avg[i] + (1 - alpha) * d;
        a = Math.sqrt(sq[i] - avg[i] * avg[i]) + eps;
      } else {
        a = Math.sqrt(sq[i]) + eps;
      }
      if (momentum > 0) {
        buf[i] = momentum * buf[i] + d / a;
        theta[i] = before - lr * buf[i];
      } else theta[i] = before - (lr * d) / a;
      moved += Math.abs(theta[i] - before);
    }
    return moved;
  }

  protected clear(): void {
    this.sq.fill(0);
    this.avg.fill(0);
    this.buf.fill(0);
  }
}

const weightDecay = { name: 'weight_decay', kind: 'number', default: 0, min: 0, doc: 'L2 penalty λ' } as const;
const STATS = ['effective_step'];

export const ADAPTIVE_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'adagrad',
      label: 'AdaGrad',
      fullBatchOnly: false,
      hyper: [
        lrSpec(0.01),
        { name: 'lr_decay', kind: 'number', default: 0, min: 0, doc: 'η_t = η / (1 + (t−1)·lr_decay)' },
        weightDecay,
        { name: 'initial_accumulator_value', kind: 'number', default: 0, min: 0, doc: 'starting value of G' },
        { name: 'eps', kind: 'number', default: 1e-10, min: 0, doc: 'ε added to √G' },
      ],
      description:
        'AdaGrad divides each weight’s step by the root of the sum of all its past squared gradients: ' +
        'G ← G + g², θ ← θ − η·g/(√G + ε). Rarely-updated weights keep large steps; the rate only decays.',
      stats: STATS,
    },
    create: (h, size) => new Adagrad(h, size),
  },
  {
    info: {
      name: 'adadelta',
      label: 'AdaDelta',
      fullBatchOnly: false,
      hyper: [
        lrSpec(1.0, 'scale η of the AdaDelta update'),
        { name: 'rho', kind: 'number', default: 0.9, min: 0, max: 1, doc: 'decay ρ of both running averages' },
        { name: 'eps', kind: 'number', default: 1e-6, min: 0, doc: 'ε inside both square roots' },
        weightDecay,
      ],
      description:
        'AdaDelta keeps running averages of squared gradients S and squared updates D: S ← ρS + (1−ρ)g², ' +
        'Δ = √(D + ε)/√(S + ε)·g, D ← ρD + (1−ρ)Δ², θ ← θ − η·Δ. The units of Δ match those of θ.',
      stats: STATS,
    },
    create: (h, size) => new Adadelta(h, size),
  },
  {
    info: {
      name: 'rmsprop',
      label: 'RMSprop',
      fullBatchOnly: false,
      hyper: [
        lrSpec(0.01),
        { name: 'alpha', kind: 'number', default: 0.99, min: 0, doc: 'smoothing constant α of the average of g²' },
        { name: 'eps', kind: 'number', default: 1e-8, min: 0, doc: 'ε added to the root' },
        weightDecay,
        { name: 'momentum', kind: 'number', default: 0, min: 0, doc: 'momentum μ of the scaled step' },
        { name: 'centered', kind: 'bool', default: false, doc: 'divide by the variance estimate √(S − m²)' },
      ],
      description:
        'RMSprop scales each step by a running root-mean-square of the gradient: S ← αS + (1−α)g², ' +
        'θ ← θ − η·g/(√S + ε). Centered subtracts the squared running mean of g; momentum accumulates g/(√S + ε).',
      stats: STATS,
    },
    create: (h, size) => new Rmsprop(h, size),
  },
];
