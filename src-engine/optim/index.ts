/**
 * Optimizers over a flat parameter vector θ. `createOptimizer({name, ...PyTorch-named hypers}, size)`
 * validates the hyper-parameters and returns an Optimizer; OPTIMIZER_CATALOG describes each for the UI.
 */
import { OptimizerError, type Optimizer, type OptimizerConfig } from './types';
import { readHypers, type OptimizerDef, type OptimizerInfo } from './hyper';
import { SGD_FAMILY } from './sgd';
import { ADAPTIVE_FAMILY } from './adaptive';
import { ADAM_FAMILY } from './adam';
import { RPROP_FAMILY } from './rprop';
import { QUICKPROP_FAMILY } from './quickprop';
import { LBFGS_FAMILY } from './lbfgs';
import { CG_FAMILY } from './cg';
import { BFGS_FAMILY } from './bfgs';
import { LM_FAMILY } from './lm';

export type { Objective, Optimizer, OptimizerConfig } from './types';
export { OptimizerError } from './types';
export type { HyperSpec, HyperValue, OptimizerInfo } from './hyper';
export { DENSE_PARAM_LIMIT } from './bfgs';
export { cholesky, choleskySolve } from './lm';
export { StrongWolfe, cubicInterpolate, WOLFE_DEFAULTS, type WolfeOptions, type LineSearchResult } from './linesearch';

/** Every optimizer, in order of increasing complexity. */
const REGISTRY: readonly OptimizerDef[] = [
  ...SGD_FAMILY,
  ...ADAPTIVE_FAMILY,
  ...ADAM_FAMILY,
  ...RPROP_FAMILY,
  ...QUICKPROP_FAMILY,
  ...CG_FAMILY,
  ...BFGS_FAMILY,
  ...LBFGS_FAMILY,
  ...LM_FAMILY,
];

const BY_NAME = new Map(REGISTRY.map((d) => [d.info.name, d]));

/** What the UI shows for each optimizer: label, hyper-parameters with defaults and bounds, update rule. */
export const OPTIMIZER_CATALOG: readonly OptimizerInfo[] = REGISTRY.map((d) => ({
  ...d.info,
  defaults: Object.fromEntries(d.info.hyper.map((h) => [h.name, h.default])),
}));

/** Names accepted by createOptimizer. */
export const OPTIMIZER_NAMES: readonly string[] = REGISTRY.map((d) => d.info.name);

/**
 * Builds the optimizer `config.name` for a parameter vector of `size` entries. Hyper-parameters not
 * given take PyTorch's defaults. Throws OptimizerError naming the optimizer and the bad parameter.
 */
export function createOptimizer(config: OptimizerConfig, size: number): Optimizer {
  const def = BY_NAME.get(config.name);
  if (!def) {
    throw new OptimizerError(
      `unknown optimizer "${config.name}" (known: ${OPTIMIZER_NAMES.join(', ')})`,
      String(config.name),
      'name',
    );
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new OptimizerError(`${def.info.name}: parameter count must be a non-negative integer, got ${size}`, def.info.name);
  }
  return def.create(readHypers(def, config), size);
}
