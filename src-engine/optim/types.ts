import type { Buf } from '../tensor';
import { NeurographError } from '../errors';

/**
 * What an optimizer minimizes: a loss over a flat parameter vector θ. The model, batching,
 * regularizers and gradient clipping live behind it; an optimizer sees only θ, the loss and ∂loss/∂θ.
 */
export interface Objective {
  /** Number of parameters (length of theta and grad). */
  readonly size: number;
  /** The flat parameter vector θ; optimizers update it in place. */
  readonly theta: Buf;
  /** ∂loss/∂θ at the θ of the last evaluate() call. */
  readonly grad: Buf;
  /** Loss at the current θ; writes the gradient into `grad`. Line-search methods call it many times. */
  evaluate(): number;
  /**
   * True when the last evaluate() already knows its gradient is finite (BatchObjective: its norm was
   * finite), so first-order methods need not scan it again; absent or false means "scan".
   */
  readonly gradFinite?: boolean;
  /**
   * Present only for sum-of-squares losses (Levenberg–Marquardt). loss = scale · Σ rᵢ².
   * Fills r [count] and the Jacobian J [count][size] (row-major, ∂rᵢ/∂θⱼ) at the current θ and
   * returns the loss. Does not touch `grad`.
   */
  readonly residuals?: {
    readonly count: number;
    readonly scale: number;
    evaluate(r: Float64Array, J: Float64Array): number;
  };
}

/** One optimizer instance is bound to one parameter vector size; its state persists across steps. */
export interface Optimizer {
  /** Registry name, e.g. "adam". */
  readonly name: string;
  /** Current learning rate; learning-rate schedules overwrite it between steps. */
  lr: number;
  /** True for line-search and second-order methods: they refuse mini-batches. */
  readonly fullBatchOnly: boolean;
  /** One optimizer step. Returns the loss at θ before the step (the first evaluation, as torch). */
  step(objective: Objective): number;
  /** Internal state worth plotting (LM μ, RProp mean step, CG β, Adam's effective step…). */
  stats(): Record<string, number>;
  /** Forget all state (moments, histories, step sizes). */
  reset(): void;
}

/** An optimizer's configuration: its registry name and PyTorch-named hyper-parameters. */
export interface OptimizerConfig {
  name: string;
  lr?: number;
  [hyper: string]: unknown;
}

/** Thrown when a hyper-parameter is invalid or an optimizer cannot run in the given setting. */
export class OptimizerError extends NeurographError {
  constructor(
    message: string,
    readonly optimizer: string,
    readonly param?: string,
  ) {
    super(message, 'invalid_training', param ? `optimizer.${param}` : 'optimizer');
  }
}
