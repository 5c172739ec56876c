/**
 * Gradient health (lectures 01 and 05: vanishing and exploding gradients, dead ReLUs, saturated
 * sigmoids): per epoch, the numbers a student looks at — each parameterised layer's gradient norm,
 * weight norm and update-to-weight ratio, each activation layer's dead or saturated fraction — and the
 * flags they raise, each naming its cause and the lecture's remedy for THIS network.
 */
import type { Model } from '../graph';
import type { Mat } from '../tensor';
import type { HealthFlag, HealthKind } from './types';

/** The thresholds behind the flags; each can be set in the training block's `health` field. */
export interface HealthSettings {
  /** vanishing: the input-most layer's gradient norm below this fraction of the output layer's… */
  vanishing_ratio: number;
  /** …for this many epochs in a row, with norms shrinking layer by layer toward the input. */
  patience: number;
  /** exploding: a layer's gradient norm above this… */
  exploding_norm: number;
  /** …or grown by this factor within `patience` epochs. */
  exploding_growth: number;
  /** dead: at least this fraction of a ReLU-family layer's units output 0 for every sample. */
  dead_fraction: number;
  /**
   * saturated: at least this fraction of a sigmoid/tanh-family layer's outputs sit in the flat tails
   * from the start (the first 2·patience epochs: inputs or initial weights too large) or while the loss
   * has stalled (under 1% better over `patience` epochs) — a classifier growing sure of its answers
   * saturates too, and that is no fault…
   */
  saturated_fraction: number;
  /** …where the slope is below this fraction of the activation's steepest slope. */
  saturation_slope: number;
  /** divergence: the loss above this many times its lowest value so far stops the run. */
  divergence_factor: number;
  /** spike: the loss rising this many times above the previous epoch's is reported. */
  spike_factor: number;
}

/** Documented defaults (README, "Gradient health"). */
export const HEALTH_DEFAULTS: Readonly<HealthSettings> = Object.freeze({
  vanishing_ratio: 1e-3,
  patience: 3,
  exploding_norm: 1e3,
  exploding_growth: 10,
  dead_fraction: 0.9,
  saturated_fraction: 0.5,
  saturation_slope: 0.05,
  divergence_factor: 1e4,
  spike_factor: 3,
});

/** What the lectures call each family: whose units die (output 0, no gradient) and whose saturate (flat tails). */
const DYING = new Set(['ReLU', 'ReLU6', 'Softshrink', 'Hardshrink']);

/** The activation's slope at (x, y) relative to its steepest slope, in [0, 1] — from y alone where possible. */
const RELATIVE_SLOPE: Record<string, (x: number, y: number) => number> = {
  Sigmoid: (_x, y) => 4 * y * (1 - y),
  Tanh: (_x, y) => 1 - y * y,
  BipolarSigmoid: (_x, y) => 1 - y * y,
  Softsign: (_x, y) => (1 - Math.abs(y)) ** 2,
  LogSigmoid: (_x, y) => 1 - Math.exp(y),
  Hardsigmoid: (_x, y) => (y > 0 && y < 1 ? 1 : 0),
  PiecewiseLinear: (_x, y) => (y > 0 && y < 1 ? 1 : 0),
  Hardtanh: (x, y) => (x === y ? 1 : 0),
};

export const isDying = (type: string): boolean => DYING.has(type);
export const isSaturating = (type: string): boolean => Object.prototype.hasOwnProperty.call(RELATIVE_SLOPE, type);

/** ‖∂L/∂W‖ per node that has parameters (all its parameters together). */
export function gradNorms(model: Model): Record<string, number> {
  return nodeNorms(model, model.grad);
}

/** ‖W‖ per node that has parameters. */
export function weightNorms(model: Model): Record<string, number> {
  return nodeNorms(model, model.theta);
}

/** ‖θ − before‖ / ‖before‖ per node: how far one epoch moved each layer's weights, relative to their size. */
export function updateRatios(model: Model, before: ArrayLike<number>): Record<string, number> {
  const d: Record<string, number> = {};
  const w: Record<string, number> = {};
  for (const p of model.params) {
    let sd = 0;
    let sw = 0;
    for (let i = p.offset; i < p.offset + p.size; i++) {
      const delta = model.theta[i] - before[i];
      sd += delta * delta;
      sw += before[i] * before[i];
    }
    d[p.node] = (d[p.node] ?? 0) + sd;
    w[p.node] = (w[p.node] ?? 0) + sw;
  }
  const out: Record<string, number> = {};
  for (const k of Object.keys(d)) out[k] = w[k] > 0 ? Math.sqrt(d[k] / w[k]) : Math.sqrt(d[k]);
  return out;
}

function nodeNorms(model: Model, v: ArrayLike<number>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const p of model.params) {
    let s = 0;
    for (let i = p.offset; i < p.offset + p.size; i++) s += v[i] * v[i];
    sums[p.node] = (sums[p.node] ?? 0) + s;
  }
  for (const k of Object.keys(sums)) sums[k] = Math.sqrt(sums[k]);
  return sums;
}

/**
 * After a forward pass: per ReLU-family node the fraction of its units that output 0 for every row
 * (dead: no gradient reaches their weights), per sigmoid/tanh-family node the fraction of its outputs
 * whose slope is below `slope` of the steepest (saturated: almost no gradient passes).
 */
export function activationStats(model: Model, slope: number): { dead: Record<string, number>; saturated: Record<string, number> } {
  const dead: Record<string, number> = {};
  const saturated: Record<string, number> = {};
  for (const n of model.nodes) {
    if (n.inputs.length !== 1) continue;
    const y = n.out;
    if (y.rows === 0) continue;
    if (DYING.has(n.type)) dead[n.id] = deadFraction(y);
    else if (isSaturating(n.type)) saturated[n.id] = saturatedFraction(model.nodes[n.inputs[0]].out, y, RELATIVE_SLOPE[n.type], slope);
  }
  return { dead, saturated };
}

function deadFraction(y: Mat): number {
  let deadUnits = 0;
  for (let j = 0; j < y.cols; j++) {
    let alive = false;
    for (let r = 0; r < y.rows && !alive; r++) alive = y.data[r * y.cols + j] !== 0;
    if (!alive) deadUnits++;
  }
  return deadUnits / y.cols;
}

function saturatedFraction(x: Mat, y: Mat, rel: (x: number, y: number) => number, slope: number): number {
  const n = y.rows * y.cols;
  let flat = 0;
  for (let i = 0; i < n; i++) if (rel(x.data[i], y.data[i]) < slope) flat++;
  return flat / n;
}

/** One epoch's numbers, as GradientHealth reads them. */
export interface HealthInput {
  epoch: number;
  loss: number;
  grad: Record<string, number>;
  dead: Record<string, number>;
  saturated: Record<string, number>;
}

/** What GradientHealth needs to know about the network to name causes and remedies. */
export interface HealthContext {
  /** Parameterised nodes in forward order (input first). */
  layers: string[];
  /** The output node: its saturation is a confident answer, not a fault. */
  output: string;
  /** The activation types in the network. */
  activations: string[];
  optimizer: string;
  lr: number;
}

const pct = (f: number) => `${Math.round(f * 100)}%`;

/**
 * Turns each epoch's numbers into flags. A flag is raised the first time its condition holds for its
 * (kind, node) and reported once; `active` lists every condition holding at this epoch, so charts can
 * shade the stretches where it held.
 */
export class GradientHealth {
  private readonly seen = new Set<string>();
  private readonly gradHistory: Record<string, number>[] = [];
  private vanishingRun = 0;
  private bestLoss = Infinity;
  private lastLoss = NaN;
  private readonly losses: number[] = [];
  private firstLoss: number | undefined;

  constructor(
    private readonly ctx: HealthContext,
    readonly settings: HealthSettings = HEALTH_DEFAULTS,
  ) {}

  /** Flags first raised at this epoch, and every condition active at it (node → kinds). */
  check(h: HealthInput): { flags: HealthFlag[]; active: Record<string, HealthKind[]> } {
    const s = this.settings;
    const flags: HealthFlag[] = [];
    const active: Record<string, HealthKind[]> = {};
    const raise = (kind: HealthKind, node: string, message: string) => {
      (active[node] ??= []).push(kind);
      const key = `${kind}:${node}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      flags.push({ kind, node, epoch: h.epoch, message });
    };

    for (const [node, n] of Object.entries(h.grad)) {
      if (!Number.isFinite(n)) raise('nan', node, `the gradient of ${node} is ${n} at epoch ${h.epoch}`);
    }
    this.exploding(h, raise);
    this.vanishing(h, raise);
    for (const [node, f] of Object.entries(h.dead)) {
      if (f >= s.dead_fraction) {
        raise('dead', node, `${f === 1 ? 'every unit' : `${pct(f)} of the units`} of ${node} output 0 for every sample at epoch ${h.epoch}: no gradient reaches the weights before them (dying ReLU). Lower the learning rate (now ${this.ctx.lr}), use LeakyReLU or ELU (negative inputs keep a small gradient), or He (kaiming) initialization.`);
      }
    }
    this.losses.push(h.loss);
    if (this.losses.length > s.patience + 1) this.losses.shift();
    // Stalled: under 1% better over `patience` epochs, while still above a tenth of where it started.
    this.firstLoss ??= h.loss;
    const stalled = this.losses.length > s.patience && this.losses[this.losses.length - 1] > 0.99 * this.losses[0] && h.loss > 0.1 * this.firstLoss;
    for (const [node, f] of Object.entries(h.saturated)) {
      if (node === this.ctx.output) continue;
      if (f >= s.saturated_fraction && (stalled || h.epoch <= 2 * s.patience)) {
        raise('saturated', node, `${pct(f)} of ${node}'s outputs sit in the flat tails at epoch ${h.epoch}: its slope there is almost 0, so almost no gradient passes. Standardize the inputs, start from smaller weights (Xavier initialization), or put BatchNorm before the activation.`);
      }
    }
    if (Number.isFinite(this.lastLoss) && this.lastLoss > 0 && h.loss > s.spike_factor * this.lastLoss) {
      const ls = ['lbfgs', 'cg', 'bfgs'].includes(this.ctx.optimizer);
      raise('spike', 'loss', `the loss jumped from ${this.lastLoss.toPrecision(3)} to ${h.loss.toPrecision(3)} (×${(h.loss / this.lastLoss).toFixed(1)}) at epoch ${h.epoch}. ${ls ? `${this.ctx.optimizer} accepted a step that overshot: use its strong Wolfe line search (line_search_fn) or a smaller lr.` : `The step was too large for this point of the landscape: lower the learning rate (now ${this.ctx.lr}) or clip gradients.`}`);
    }
    this.lastLoss = h.loss;
    this.bestLoss = Math.min(this.bestLoss, h.loss);
    return { flags, active };
  }

  /** Why the loss counts as diverged (grown by orders of magnitude above its lowest so far), else null. */
  divergence(loss: number): string | null {
    const best = Math.min(this.bestLoss, loss);
    if (Number.isFinite(best) && loss > this.settings.divergence_factor * Math.max(best, 1e-3)) {
      return `the loss grew to ${loss.toExponential(2)}, ${(loss / Math.max(best, 1e-300)).toExponential(1)}× its lowest (${best.toPrecision(3)}) — lower the learning rate (now ${this.ctx.lr}) or clip gradients`;
    }
    return null;
  }

  private exploding(h: HealthInput, raise: (k: HealthKind, n: string, m: string) => void): void {
    const s = this.settings;
    this.gradHistory.push(h.grad);
    if (this.gradHistory.length > s.patience + 1) this.gradHistory.shift();
    const remedy = `lower the learning rate (now ${this.ctx.lr}), clip gradients (clip_grad_norm), or start from smaller weights`;
    for (const [node, n] of Object.entries(h.grad)) {
      if (!Number.isFinite(n)) continue;
      const earlier = this.gradHistory.slice(0, -1).map((g) => g[node]).filter((v) => Number.isFinite(v) && v > 0);
      const low = earlier.length ? Math.min(...earlier) : NaN;
      if (n > s.exploding_norm) raise('exploding', node, `the gradient norm of ${node} is ${n.toExponential(2)} at epoch ${h.epoch} (above ${s.exploding_norm}): ${remedy}`);
      else if (low > 0 && n > 1 && n > s.exploding_growth * low) raise('exploding', node, `the gradient norm of ${node} grew ${(n / low).toFixed(0)}× within ${earlier.length} epochs, to ${n.toExponential(2)} at epoch ${h.epoch}: ${remedy}`);
    }
  }

  /**
   * Vanishing: the gradient shrinks layer by layer toward the input — the input-most layer's norm below
   * vanishing_ratio of the output layer's, with most layers smaller than the one after them — for
   * `patience` epochs in a row while the loss is still far from zero. The cause named depends on the
   * network: saturating activations multiply small slopes; in a ReLU network it is dead units or depth.
   */
  private vanishing(h: HealthInput, raise: (k: HealthKind, n: string, m: string) => void): void {
    const s = this.settings;
    const g = this.ctx.layers.map((id) => h.grad[id]).filter((v) => v !== undefined);
    if (g.length < 2 || h.loss < 1e-3 || !g.every(Number.isFinite)) {
      this.vanishingRun = 0;
      return;
    }
    const last = g[g.length - 1];
    let shrinking = 0;
    for (let i = 0; i + 1 < g.length; i++) if (g[i] < g[i + 1]) shrinking++;
    const holds = last > 0 && g[0] < s.vanishing_ratio * last && shrinking * 2 >= g.length - 1;
    this.vanishingRun = holds ? this.vanishingRun + 1 : 0;
    if (this.vanishingRun < s.patience) return;
    const first = this.ctx.layers.find((id) => h.grad[id] < s.vanishing_ratio * last) ?? this.ctx.layers[0];
    const saturating = this.ctx.activations.filter(isSaturating);
    const dying = this.ctx.activations.filter(isDying);
    const deadest = Object.entries(h.dead).sort((a, b) => b[1] - a[1])[0];
    const cause = saturating.length
      ? `each ${[...new Set(saturating)].join('/')} layer multiplies the gradient by its slope (Sigmoid's is at most 0.25), so it shrinks with every layer. Use ReLU-family activations, BatchNorm between layers, or Xavier/He initialization.`
      : dying.length && deadest && deadest[1] > 0
        ? `${pct(deadest[1])} of the units of ${deadest[0]} are dead (they pass no gradient). Lower the learning rate, use LeakyReLU/ELU, or He (kaiming) initialization.`
        : 'the gradient shrinks through the depth of the network. Add BatchNorm between layers, use He (kaiming) initialization, or fewer layers.';
    const ratio = h.grad[first] > 0 ? `${(last / h.grad[first]).toExponential(1)}× smaller than the output layer's` : 'zero';
    raise('vanishing', first, `the gradient norm of ${first} is ${h.grad[first].toExponential(2)}, ${ratio}, for ${this.vanishingRun} epochs (epoch ${h.epoch}): ${cause}`);
  }
}

/** The first node (in forward order) whose output holds NaN or ±Inf after the last forward pass. */
export function firstNonFinite(model: Model): string | null {
  for (const n of model.nodes) {
    const d = n.out.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return n.id;
  }
  for (const p of model.params) {
    for (let i = p.offset; i < p.offset + p.size; i++) if (!Number.isFinite(model.theta[i]) || !Number.isFinite(model.grad[i])) return p.node;
  }
  return null;
}
