/**
 * The engine functions the renderer uses directly (pure TypeScript, no DOM): graph validation,
 * width inference and the layer catalog. Everything else goes through the api.
 */
// Imported per module (not the engine's index) so the renderer bundle stays free of training code.
export { validateGraph, inferWidths } from '../../../src-engine/graph/validate';
export { LAYER_CATALOG } from '../../../src-engine/layers';
export { OPTIMIZER_CATALOG, createOptimizer, OptimizerError } from '../../../src-engine/optim';
export type { HyperSpec, HyperValue, OptimizerInfo } from '../../../src-engine/optim';
export { LOSS_CATALOG } from '../../../src-engine/losses';
export { INITIALIZERS, INIT_DOCS } from '../../../src-engine/graph/init';
export { SCHEDULE_DOCS, checkSchedule, type ScheduleConfig } from '../../../src-engine/train/schedule';
export { ENTROPY_LOSSES } from '../../../src-engine/train/objective';
export { checkTraining } from '../../../src-engine/train/check';
import { LOSS_CATALOG } from '../../../src-engine/losses';

/** Losses the trainer accepts (src-engine/losses), with what the output layer should produce. */
export const LOSS_OPTIONS: readonly { name: string; label: string; expects: string }[] = LOSS_CATALOG.map((l) => ({
  name: l.name,
  label: l.label,
  expects: l.expects,
}));
export type { GraphSpec, NodeSpec, ModelJson, TrainingBlock } from '../../../src-engine/graph/types';
export type { MetricPoint, HealthFlag } from '../../../src-engine/train/types';

/** One node type as the palette and inspector see it: the engine's own types. */
export type { AttrSpec as CatalogAttr, LayerInfo as CatalogEntry } from '../../../src-engine/layers';
export interface GraphIssue {
  severity?: 'error' | 'warning';
  nodeId?: string;
  field?: string;
  message: string;
}
export type AttrValue = number | boolean | string;
