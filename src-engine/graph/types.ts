/**
 * GraphSpec and model JSON v1 — the public contract (../shared/DESIGN.md). Plain JSON: the canvas
 * adds positions elsewhere; the engine reads only these fields.
 */
export interface NodeSpec {
  id: string;
  type: string;
  /** Ids of the nodes feeding this one (absent for Input). */
  in?: string[];
  /** Type-specific attributes with PyTorch names: size, units, bias, negative_slope, p, eps… */
  [attr: string]: unknown;
}

export interface GraphSpec {
  nodes: NodeSpec[];
  outputs: string[];
}

export type ParamValue = number[] | number[][];
export type ParamsJson = Record<string, Record<string, ParamValue>>;
export type StateJson = Record<string, Record<string, number[] | number>>;

export interface TrainingBlock {
  loss: string;
  optimizer?: { name: string; lr?: number; [hyper: string]: unknown };
  epochs?: number;
  batch_size?: number | 'full';
  shuffle?: boolean;
  seed?: number;
  clip_grad_norm?: number | null;
  clip_grad_value?: number | null;
  /** Learning-rate schedule: constant (default), step, exponential, cosine. */
  lr_schedule?: { name: 'constant' | 'step' | 'exponential' | 'cosine'; [k: string]: unknown } | null;
  /** Regularizers added to the loss: L1 λΣ|w|, L2 (λ/2)Σw², entropy λ·H(p̂) (weights only). */
  regularization?: { l1?: number; l2?: number; entropy?: number } | null;
  /** Fractions of rows held out (after a seeded shuffle). */
  validation_split?: number;
  test_split?: number;
  early_stopping?: { patience: number; min_delta?: number } | null;
  /** Initializer for weights when params are absent. */
  init?: string;
  dtype?: 'float32' | 'float64';
}

export interface ModelJson extends GraphSpec {
  format: 'neurograph-model';
  version: 1;
  params?: ParamsJson;
  state?: StateJson;
  training?: TrainingBlock;
  /** Free-form metadata (dataset name, feature names, created-by). */
  meta?: Record<string, unknown>;
}
