/**
 * The renderer's face of the engine: what the UI shows and checks without training anything — the
 * catalogs of layers, losses, optimizers, initializers and schedules, graph validation and width
 * inference, the training block's defaults and check. Everything else reaches the UI through the api.
 */
export { LAYER_CATALOG, activationCurve, type Curve } from './layers';
export type { LayerInfo, AttrSpec, AttrValue } from './layers';
export { validateGraph, inferWidths, summarizeGraph, formatBytes, INITIALIZERS, INIT_DOCS, type GraphIssue, type InitName, type GraphSummary } from './graph';
export type { GraphSpec, NodeSpec, ModelJson, ParamsJson } from './graph';
export { LOSS_CATALOG, PROBABILITY_LOSSES } from './losses';
export { OPTIMIZER_CATALOG } from './optim';
export type { HyperSpec, HyperValue, OptimizerInfo } from './optim';
export { checkTraining, withTrainingDefaults, TRAINING_DEFAULTS, DEFAULT_OPTIMIZER, SOLVED_LOSS, MAX_EPOCHS, SCHEDULES, SCHEDULE_DOCS } from './train';
export type { TrainingBlock, TrainingIssue, ScheduleConfig, ScheduleName, ScheduleParam, MetricPoint, HealthFlag, HealthKind } from './train';
export { argmax } from './tensor';
export { planePictures, planeGrid, splitOf, initialModel, stuckRun, PLANE_EXTENT, type PlanePictures, type NodePicture, type StuckRun } from './train';
export { FEATURES, DEFAULT_FEATURES, PLAYGROUND_SETS, generatePlayground, inspectCsv, MAX_CSV_CHARS, BAD_CELL_TEXT, type FeatureName, type PlaygroundName, type CsvReport, type ColumnReport, type Scaling } from './data';
export { Rng } from './tensor';
