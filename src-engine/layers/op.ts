import type { Buf, DType, Mat, Rng } from '../tensor';
import type { AttrSpec, Attrs, LayerDoc } from './types';

/** A parameter of a node type, in PyTorch's layout: [out][in] for weights, [out] for biases. */
export interface ParamSpec {
  name: string;
  shape: number[];
  /** Default initializer role: 'weight' follows the chosen scheme; others are fixed. */
  init: 'weight' | 'bias' | 'ones' | 'zeros' | { constant: number };
  /** Counted by the L1/L2 regularizers (weights yes; biases and normalization scales no). */
  decay: boolean;
  /** Fan-in used by the initializers. */
  fanIn: number;
  fanOut: number;
}

/** A non-learned buffer carried by a node (BatchNorm's running statistics). */
export interface StateSpec {
  name: string;
  length: number;
  init: number;
  /** Stored as a plain number in model JSON (num_batches_tracked). */
  scalar?: boolean;
}

export interface ParamBuffers {
  value: Buf;
  grad: Buf;
}

/** How a node runs: train vs eval, and whether random layers (Dropout, RReLU) draw noise. */
export interface RunMode {
  train: boolean;
  stochastic: boolean;
  rng: Rng;
}

/** A compiled node: forward and backward side by side. Backward ACCUMULATES into dIns and param grads. */
export interface Op {
  forward(ins: Mat[], out: Mat, mode: RunMode): void;
  backward(ins: Mat[], out: Mat, dOut: Mat, dIns: Mat[], mode: RunMode): void;
}

export interface OpContext {
  id: string;
  attrs: Attrs;
  inWidths: number[];
  width: number;
  params: Record<string, ParamBuffers>;
  state: Record<string, Buf>;
  dtype: DType;
}

/** One node type: attributes, shape rule, parameters, documentation and its runtime op. */
export interface LayerDef {
  type: string;
  family: 'io' | 'core' | 'activation' | 'normalization' | 'merge' | 'output';
  /** 'none' for Input, 'one' for most layers, 'many' for merges. */
  arity: 'none' | 'one' | 'many';
  attrs: AttrSpec[];
  doc: LayerDoc;
  /** Output width; returns an error message instead when the inputs don't fit. */
  width(attrs: Attrs, inWidths: number[]): number | string;
  params?(attrs: Attrs, inWidths: number[], width: number): ParamSpec[];
  state?(attrs: Attrs, inWidths: number[], width: number): StateSpec[];
  create(ctx: OpContext): Op;
}
