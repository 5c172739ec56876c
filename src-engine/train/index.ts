export { TrainingSession, TrainingError, predictRows, type EpochResult } from './session';
export { BatchObjective, type ObjectiveOptions, type Regularization } from './objective';
export { learningRate, checkSchedule, SCHEDULE_DOCS, type ScheduleConfig } from './schedule';
export { GradientHealth, gradNorms, HEALTH } from './health';
export { accuracy, isClassification } from './metrics';
export type { MetricPoint, HealthFlag, DataTable } from './types';
export { explain, type Explanation } from './explain';
export { checkTraining, type TrainingIssue } from './check';
