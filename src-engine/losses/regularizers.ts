import { NeurographError } from '../errors';
import type { Buf, Mat } from '../tensor';

/**
 * Penalties added to the loss (lecture 01, "regularization through the loss"). Each returns its
 * value and, when given a gradient buffer, ADDS its gradient into it (the loss's gradient is
 * already there), so they compose with any loss and any optimizer.
 */

/** A slice θ[offset, offset + size) of the flat parameter vector, e.g. a model's weight matrices. */
export interface ParamSpan {
  offset: number;
  size: number;
}

export class RegularizerError extends NeurographError {
  constructor(message: string, readonly arg: string) {
    super(message, 'invalid_training', arg);
  }
}

function checkLambda(lambda: number, fn: string): void {
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new RegularizerError(`${fn}: λ must be a finite number ≥ 0, got ${lambda}`, 'lambda');
  }
}

function checkSpans(theta: Buf, grad: Buf | null, spans: readonly ParamSpan[], fn: string): void {
  for (const s of spans) {
    if (!Number.isInteger(s.offset) || !Number.isInteger(s.size) || s.offset < 0 || s.size < 0 || s.offset + s.size > theta.length) {
      throw new RegularizerError(`${fn}: span [${s.offset}, ${s.offset + s.size}) lies outside θ of length ${theta.length}`, 'spans');
    }
  }
  if (grad && grad.length !== theta.length) {
    throw new RegularizerError(`${fn}: gradient length ${grad.length} ≠ θ length ${theta.length}`, 'grad');
  }
}

/**
 * L1 (lasso) penalty R = λ·Σ|w| over the spans; ∂R/∂w = λ·sign(w), with sign(0) = 0 as PyTorch's
 * abs backward. Drives small weights to exactly zero.
 */
export function l1(theta: Buf, grad: Buf | null, spans: readonly ParamSpan[], lambda: number): number {
  checkLambda(lambda, 'l1');
  checkSpans(theta, grad, spans, 'l1');
  let s = 0;
  for (const { offset, size } of spans) {
    for (let i = offset; i < offset + size; i++) {
      const w = theta[i];
      s += Math.abs(w);
      if (grad) grad[i] += lambda * (w > 0 ? 1 : w < 0 ? -1 : 0);
    }
  }
  return lambda * s;
}

/**
 * L2 weight decay in the form R = (λ/2)·Σw² over the spans, so that ∂R/∂w = λ·w — the same step as
 * an optimizer's `weight_decay` λ (the lecture's L + λ‖W‖², with the ½ folded into λ).
 */
export function l2(theta: Buf, grad: Buf | null, spans: readonly ParamSpan[], lambda: number): number {
  checkLambda(lambda, 'l2');
  checkSpans(theta, grad, spans, 'l2');
  let s = 0;
  for (const { offset, size } of spans) {
    for (let i = offset; i < offset + size; i++) {
      const w = theta[i];
      s += w * w;
      if (grad) grad[i] += lambda * w;
    }
  }
  return 0.5 * lambda * s;
}

const LOG_MIN = -100; // as binary_cross_entropy: log p is clamped at −100, so p = 0 has a finite slope

/**
 * The lecture's entropy term for classifiers, on predicted probabilities p̂ [n][k] (rows of a
 * Softmax or Sigmoid output): R = −λ·(1/n)·Σ_rows Σ_k p̂ log p̂  (0·log 0 = 0), i.e. λ times the mean
 * entropy of the predictions. ∂R/∂p̂ = −(λ/n)(log p̂ + 1), with log p̂ clamped at −100.
 * Adds ∂R/∂p̂ into dprob (same layout as prob.data) when given.
 */
export function entropyPenalty(prob: Mat, lambda: number, dprob: Buf | null): number {
  checkLambda(lambda, 'entropyPenalty');
  const n = prob.rows;
  const len = n * prob.cols;
  if (dprob && dprob.length < len) {
    throw new RegularizerError(`entropyPenalty: gradient buffer holds ${dprob.length} values, needs ${len}`, 'dprob');
  }
  if (n === 0) return 0;
  let s = 0;
  const scale = lambda / n;
  for (let i = 0; i < len; i++) {
    const p = prob.data[i];
    const logp = Math.max(Math.log(p), LOG_MIN);
    if (p > 0) s += p * logp;
    else if (p !== 0) s += NaN; // negative or NaN "probabilities" poison the value, as log would
    if (dprob) dprob[i] -= scale * (logp + 1);
  }
  return -scale * s;
}
