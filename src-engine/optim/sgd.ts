import type { Buf } from '../tensor';
import type { Objective, Optimizer } from './types';
import { gradientFinite, lrSpec, num, type HyperSpec, type Hypers, type OptimizerDef } from './hyper';

/**
 * Stochastic gradient descent with momentum, as torch.optim.SGD (1.13):
 *   d = g + λθ;  b = d (first step) or b = μb + (1 − τ)d;  d = nesterov ? d + μb : b;  θ ← θ − η·d
 * "momentum" and "nesterov" are presets of the same method.
 * A non-finite loss or gradient leaves θ and the momentum buffer untouched.
 */
class Sgd implements Optimizer {
  readonly fullBatchOnly = false;
  lr: number;
  private readonly buf: Float64Array;
  private hasBuf = false;
  private stepNorm = 0;

  constructor(
    readonly name: string,
    h: Hypers,
    size: number,
    private readonly momentum = num(h, 'momentum'),
    private readonly dampening = num(h, 'dampening'),
    private readonly weightDecay = num(h, 'weight_decay'),
    private readonly nesterov = h.nesterov === true,
  ) {
    this.lr = num(h, 'lr');
    this.buf = new Float64Array(momentum !== 0 ? size : 0);
  }

  step(objective: Objective): number {
    const loss = objective.evaluate();
    const g = objective.grad;
    const theta = objective.theta;
    if (!Number.isFinite(loss) || !gradientFinite(objective)) return loss;
    const { momentum: mu, dampening, weightDecay: wd, nesterov, buf, lr } = this;
    const first = !this.hasBuf;
    this.stepNorm = Math.sqrt(mu === 0 ? plainLoop(theta, g, wd, lr) : momentumLoop(theta, g, buf, first, mu, dampening, wd, nesterov, lr));
    if (mu !== 0) this.hasBuf = true;
    return loss;
  }

  stats(): Record<string, number> {
    return { step_norm: this.stepNorm };
  }

  reset(): void {
    this.buf.fill(0);
    this.hasBuf = false;
    this.stepNorm = 0;
  }
}

/** θ ← θ − η·(g + λθ); returns ‖Δθ‖² (of what θ really moved by, after float32 rounding). */
function plainLoop(theta: Buf, g: Buf, wd: number, lr: number): number {
  let sq = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    const d = wd !== 0 ? g[i] + wd * before : g[i];
    theta[i] = before - lr * d;
    const moved = theta[i] - before;
    sq += moved * moved;
  }
  return sq;
}

/** The momentum buffer b (first step: b = d), then θ ← θ − η·(nesterov ? d + μb : b); returns ‖Δθ‖². */
function momentumLoop(theta: Buf, g: Buf, buf: Float64Array, first: boolean, mu: number, dampening: number, wd: number, nesterov: boolean, lr: number): number {
  let sq = 0;
  for (let i = 0; i < theta.length; i++) {
    const before = theta[i];
    let d = wd !== 0 ? g[i] + wd * before : g[i];
    const b = (buf[i] = first ? d : mu * buf[i] + (1 - dampening) * d);
    d = nesterov ? d + mu * b : b;
    theta[i] = before - lr * d;
    const moved = theta[i] - before;
    sq += moved * moved;
  }
  return sq;
}

const common = (momentumDefault: number, momentumMin: number, momentumMinOpen: boolean): HyperSpec[] => [
  lrSpec(0.01),
  {
    name: 'momentum',
    kind: 'number',
    default: momentumDefault,
    min: momentumMin,
    minOpen: momentumMinOpen,
    doc: 'momentum factor μ',
  },
  { name: 'dampening', kind: 'number', default: 0, min: 0, max: 1, doc: 'dampening τ of the gradient in the buffer' },
  { name: 'weight_decay', kind: 'number', default: 0, min: 0, doc: 'L2 penalty λ added to the gradient' },
];

export const SGD_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'sgd',
      label: 'SGD',
      fullBatchOnly: false,
      hyper: [...common(0, 0, false), { name: 'nesterov', kind: 'bool', default: false, doc: 'Nesterov momentum' }],
      description:
        'Gradient descent: θ ← θ − η·(∇E + λθ). With momentum μ > 0 a velocity b ← μ·b + (1 − τ)·∇E ' +
        'accumulates past gradients and θ ← θ − η·b (PyTorch SGD).',
      stats: ['step_norm'],
    },
    check: (h, fail) => {
      if (h.nesterov === true && ((h.momentum as number) <= 0 || h.dampening !== 0)) {
        fail('nesterov', 'nesterov requires momentum > 0 and dampening = 0');
      }
    },
    create: (h, size) => new Sgd('sgd', h, size),
  },
  {
    info: {
      name: 'momentum',
      label: 'SGD with momentum',
      fullBatchOnly: false,
      hyper: common(0.9, 0, true),
      description:
        'Heavy-ball momentum: b ← μ·b + (1 − τ)·(∇E + λθ), θ ← θ − η·b. The velocity b carries the ' +
        'step through flat regions and damps oscillation across narrow valleys (PyTorch SGD, momentum > 0).',
      stats: ['step_norm'],
    },
    create: (h, size) => new Sgd('momentum', h, size),
  },
  {
    info: {
      name: 'nesterov',
      label: 'Nesterov (NAG)',
      fullBatchOnly: false,
      hyper: common(0.9, 0, true),
      description:
        "Nesterov's accelerated gradient: b ← μ·b + g, θ ← θ − η·(g + μ·b) with g = ∇E + λθ — the " +
        'gradient is effectively taken at the point the momentum is about to reach (PyTorch SGD, nesterov=True).',
      stats: ['step_norm'],
    },
    check: (h, fail) => {
      if (h.dampening !== 0) fail('dampening', 'nesterov requires dampening = 0');
    },
    create: (h, size) => new Sgd('nesterov', h, size, num(h, 'momentum'), 0, num(h, 'weight_decay'), true),
  },
];
