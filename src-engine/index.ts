/** Neurograph's engine: pure TypeScript, no DOM, no Electron, no node: imports. */
export * from './tensor';
export { LAYERS, LAYER_CATALOG, ACTIVATIONS, layerDef } from './layers';
export type { LayerInfo, LayerDef, AttrSpec, Attrs, LayerDoc, LossDef, ActivationDef } from './layers';
export * from './graph';
export { LOSSES } from './losses';
export * from './train';
export * from './io';
export type { Optimizer, OptimizerConfig, Objective } from './optim/types';
export { OptimizerError } from './optim/types';
