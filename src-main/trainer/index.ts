/**
 * The trainer process's face for the host: its protocol (jobs in, events out). entry.ts (the process)
 * and worker.ts (one run's thread) are entry points, started by path, never imported.
 */
export { isTrainerEvent, isTrainerJob } from './protocol';
export type { TrainerEvent, TrainerJob, RunJob, RunReporting, RunOutcome, RunResultSummary } from './protocol';
export { trainerThreads } from './pool';
export { shardThreads, ShardThreadError } from './shards';
