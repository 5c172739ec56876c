/**
 * Neurograph's engine: pure TypeScript, no DOM, no Electron, no node: imports. This is its public face
 * for src-main; the renderer uses the smaller ./catalog face. Inside the engine, modules meet through
 * each other's index.ts.
 */
export * from './errors';
export * from './tensor';
export { LAYERS, LAYER_CATALOG, ACTIVATIONS, layerDef } from './layers';
export type { LayerInfo, LayerDef, AttrSpec, Attrs, LayerDoc, LossDef, ActivationDef } from './layers';
export * from './graph';
export { LOSSES, LOSS_CATALOG, PROBABILITY_LOSSES, lossDef, LossError } from './losses';
export { OPTIMIZER_CATALOG, OPTIMIZER_NAMES, createOptimizer, OptimizerError } from './optim';
export type { Optimizer, OptimizerConfig, Objective, HyperSpec, HyperValue, OptimizerInfo } from './optim';
export * from './data';
export * from './train';
export * from './io';
