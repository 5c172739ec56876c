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

/** The training block lives with training (src-engine/train/block.ts): one type, one schema. */
export type { TrainingBlock } from '../train';
import type { TrainingBlock } from '../train';

export interface ModelJson extends GraphSpec {
  format: 'neurograph-model';
  version: 1;
  params?: ParamsJson;
  state?: StateJson;
  training?: TrainingBlock;
  /** Free-form metadata (dataset name, feature names, created-by). */
  meta?: Record<string, unknown>;
}
