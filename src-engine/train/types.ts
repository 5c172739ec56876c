/** One point of a run's history: one per epoch. */
export interface MetricPoint {
  epoch: number;
  loss: number;
  val_loss?: number;
  accuracy?: number;
  val_accuracy?: number;
  lr?: number;
  /** Per-layer gradient norms ‖∂L/∂W‖ keyed by node id. */
  grad_norms?: Record<string, number>;
  /** Optimizer internals for plotting (LM μ, CG β, …). */
  optimizer?: Record<string, number>;
}

export interface HealthFlag {
  kind: 'vanishing' | 'exploding' | 'nan' | 'dead' | 'saturated';
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
