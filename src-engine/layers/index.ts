import { ACTIVATIONS } from './activations';
import { BatchNorm1d } from './batchnorm';
import { elementwiseLayer } from './elementwise';
import { Linear, Maxout } from './linear';
import { Add, Concat, Input } from './merge';
import type { LayerDef } from './op';
import { Dropout, PReLU, RReLU } from './random';
import { LogSoftmax, Softmax } from './softmax';

const SPECIAL: LayerDef[] = [Input, Linear, Maxout, Dropout, BatchNorm1d, Add, Concat, Softmax, LogSoftmax, PReLU, RReLU];

/** Every node type by its (PyTorch) name: an explicit registry, no dynamic lookups. */
export const LAYERS: Readonly<Record<string, LayerDef>> = (() => {
  const table: Record<string, LayerDef> = Object.create(null);
  for (const def of SPECIAL) table[def.type] = def;
  for (const def of Object.values(ACTIVATIONS)) table[def.type] = elementwiseLayer(def);
  return Object.freeze(table);
})();

export function layerDef(type: string): LayerDef | undefined {
  return Object.prototype.hasOwnProperty.call(LAYERS, type) ? LAYERS[type] : undefined;
}

/** What the palette and inspector show: type, family, attributes and the lecture's formula/derivative/note. */
export const LAYER_CATALOG = Object.values(LAYERS).map((d) => ({
  type: d.type,
  family: d.family,
  arity: d.arity,
  attrs: d.attrs,
  doc: d.doc,
  hasParams: Boolean(d.params),
}));
export type LayerInfo = (typeof LAYER_CATALOG)[number];

export { ACTIVATIONS } from './activations';
export { activationCurve, type Curve } from './curve';
export type { LayerDef, Op, OpContext, ParamSpec, StateSpec, RunMode, ParamBuffers } from './op';
export type { ActivationDef, AttrSpec, Attrs, AttrValue, LayerDoc, LossDef } from './types';
