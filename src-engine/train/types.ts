/** The kinds of health flag: the lecture's symptoms, and a loss that jumps. */
export type HealthKind = 'vanishing' | 'exploding' | 'nan' | 'dead' | 'saturated' | 'spike';

/** One point of a run's history: one per epoch. */
export interface MetricPoint {
  epoch: number;
  loss: number;
  val_loss?: number;
  accuracy?: number;
  val_accuracy?: number;
  /** On the held-out test rows (test_split), as the Playground plots it. */
  test_loss?: number;
  test_accuracy?: number;
  lr?: number;
  /** Set on the first epoch after the learning rate was changed by hand, to the new rate. */
  lr_set?: number;
  /** Seconds of training since the run started, at the end of this epoch (for time-axis comparisons). */
  t?: number;
  /** Loss evaluations so far: line-search and Levenberg–Marquardt methods make several per step. */
  evals?: number;
  /** Per-layer gradient norms ‖∂L/∂W‖ keyed by node id. */
  grad_norms?: Record<string, number>;
  /** Per-layer weight norms ‖W‖. */
  weight_norms?: Record<string, number>;
  /** Per-layer ‖ΔW‖/‖W‖ over the epoch: how far the weights moved, relative to their size. */
  update_ratios?: Record<string, number>;
  /** Per ReLU-family layer: the fraction of units that output 0 for every sample. */
  dead?: Record<string, number>;
  /** Per sigmoid/tanh-family layer: the fraction of outputs in the flat tails. */
  saturated?: Record<string, number>;
  /** Health conditions holding at this epoch, node → kinds (charts shade these stretches). */
  health?: Record<string, HealthKind[]>;
  /** Optimizer internals for plotting (LM μ, CG β, …). */
  optimizer?: Record<string, number>;
}

export interface HealthFlag {
  kind: HealthKind;
  node: string;
  epoch: number;
  message: string;
}

/** A table of numbers the trainer learns from: rows of inputs and rows of targets. */
export interface DataTable {
  x: number[][];
  y: number[][];
  /** Classification gets accuracy; inferred from the loss and targets when absent. */
  task?: 'classification' | 'regression';
}
