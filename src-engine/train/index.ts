/** Training: the training block, sessions with gradient health, targets and accuracy, explain. */
export {
  trainingBlockSchema,
  checkTraining,
  parseTraining,
  withTrainingDefaults,
  TrainingError,
  TRAINING_DEFAULTS,
  DEFAULT_OPTIMIZER,
  MAX_EPOCHS,
  MAX_WORKERS,
  SOLVED_LOSS,
  type TrainingBlock,
  type ResolvedTraining,
  type TrainingIssue,
  type ScheduleConfig,
} from './block';
export { TrainingSession, prepareRun, initialModel, splitOf, predictRows, type EpochResult, type PreparedRun, type SessionOptions } from './session';
export { ShardWorker, LocalShards, resolveWorkers } from './parallel';
export { shardStart, shardCount, shardSeed, gatherRows, reduceShards, type ShardSpec, type ShardPlan, type ShardPeers, type ShardPeersFactory, type ShardResult } from './shards';
export { planePictures, planeGrid, PLANE_EXTENT, type PlanePictures, type NodePicture } from './pictures';
export { BatchObjective, type ObjectiveOptions, type Regularization } from './objective';
export { learningRate, SCHEDULES, SCHEDULE_DOCS, type ScheduleName, type ScheduleParam } from './schedule';
export { GradientHealth, HEALTH_DEFAULTS, gradNorms, weightNorms, updateRatios, activationStats, isDying, isSaturating, type HealthSettings } from './health';
export { accuracy, classEncoding, encodeClasses, inferEncoding, looksLikeClasses, type TargetEncoding } from './targets';
export type { MetricPoint, HealthFlag, HealthKind, DataTable } from './types';
export { explain, type Explanation } from './explain';
export { stuckRun, type StuckRun, type StuckOptions } from './stuck';
