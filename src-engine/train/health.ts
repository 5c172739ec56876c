import type { Model } from '../graph';
import type { HealthFlag } from './types';

/** Thresholds for the gradient-health flags (the lecture's symptoms of vanishing and exploding gradients). */
export const HEALTH = {
  /** A layer whose gradient norm is below this fraction of the largest layer's is vanishing. */
  vanishingRatio: 1e-4,
  /** …or below this in absolute terms while the loss is still far from zero. */
  vanishingAbs: 1e-8,
  /** A layer gradient norm above this is exploding. */
  explodingAbs: 1e3,
};

/** ‖∂L/∂W‖ per node that has parameters (all its parameters together). */
export function gradNorms(model: Model): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const p of model.params) {
    let s = 0;
    for (let i = p.offset; i < p.offset + p.size; i++) s += model.grad[i] * model.grad[i];
    sums[p.node] = (sums[p.node] ?? 0) + s;
  }
  for (const k of Object.keys(sums)) sums[k] = Math.sqrt(sums[k]);
  return sums;
}

/** Flags raised by this epoch's gradient norms; each (kind, node) is reported once per run. */
export class GradientHealth {
  private seen = new Set<string>();

  check(norms: Record<string, number>, loss: number, epoch: number): HealthFlag[] {
    const flags: HealthFlag[] = [];
    const values = Object.values(norms).filter(Number.isFinite);
    const max = values.length ? Math.max(...values) : 0;
    const raise = (kind: HealthFlag['kind'], node: string, message: string) => {
      const key = `${kind}:${node}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      flags.push({ kind, node, epoch, message });
    };
    for (const [node, n] of Object.entries(norms)) {
      if (!Number.isFinite(n)) raise('nan', node, `gradient of ${node} is ${n} at epoch ${epoch}`);
      else if (n > HEALTH.explodingAbs) raise('exploding', node, `gradient norm of ${node} is ${n.toExponential(2)} at epoch ${epoch} — lower the learning rate or clip gradients`);
      else if (loss > 1e-3 && values.length > 1 && (n < HEALTH.vanishingRatio * max || n < HEALTH.vanishingAbs)) {
        raise('vanishing', node, `gradient norm of ${node} is ${n.toExponential(2)}, ${(max / Math.max(n, 1e-300)).toExponential(1)}× smaller than the largest layer's, at epoch ${epoch} — try ReLU-family activations, BatchNorm or another initialization`);
      }
    }
    return flags;
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
