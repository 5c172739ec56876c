/**
 * Trainer process protocol: jobs from the host to the trainer process, events back. Every message is a
 * discriminated union member carrying the run it is about (`runId`) and a sequence number (`seq`) so the
 * host can drop stale or reordered messages. Plain JSON: it crosses process and thread boundaries.
 */
import type { DataTable, HealthFlag, MetricPoint, ModelJson, TrainingBlock } from '../../src-engine';

/** Everything a run needs: the model (params present → trained from them), the rows, the settings. */
export interface RunJob {
  runId: string;
  model: ModelJson;
  data: DataTable;
  training: TrainingBlock;
}

/** Tuning knobs of a run's reporting; defaults in worker.ts. */
export interface RunReporting {
  /** Metric batches are flushed at most this often (ms); ~30 messages/s per run at most. */
  flushMs?: number;
  /** A checkpoint (model JSON) is sent at most this often (ms). */
  checkpointMs?: number;
  /** The live weights (for the UI's pictures) are sent at most this often (ms); 0 turns them off. */
  weightsMs?: number;
}

export type TrainerJob =
  | { type: 'start'; runId: string; seq: number; run: RunJob; reporting?: RunReporting }
  | { type: 'pause'; runId: string; seq: number }
  | { type: 'resume'; runId: string; seq: number }
  /** While paused: exactly one more epoch. */
  | { type: 'step'; runId: string; seq: number }
  | { type: 'stop'; runId: string; seq: number }
  /** The base learning rate from the next epoch on. */
  | { type: 'set_lr'; runId: string; seq: number; lr: number };

/** How a run ended without crashing: all epochs done, stopped by the user, or the loss diverged. */
export type RunOutcome = 'completed' | 'stopped' | 'diverged';

export interface RunResultSummary {
  outcome: RunOutcome;
  /** Epochs actually run. */
  epochs: number;
  finalLoss: number | null;
  finalAccuracy: number | null;
  /** Why a run ended before its last epoch: "diverged at epoch N, layer L", or early stopping's reason. */
  reason: string | null;
  /** Wall time of the epoch loop. */
  seconds: number;
}

export type TrainerEvent =
  /** The run left the queue and trains in a worker thread of the pool. */
  | { type: 'started'; runId: string; seq: number }
  /** The run is paused (after `epoch`) or running again. */
  | { type: 'paused'; runId: string; seq: number; paused: boolean; epoch: number }
  | { type: 'progress'; runId: string; seq: number; epoch: number; epochs: number }
  | { type: 'metrics'; runId: string; seq: number; points: MetricPoint[] }
  | { type: 'flags'; runId: string; seq: number; flags: HealthFlag[] }
  | { type: 'checkpoint'; runId: string; seq: number; epoch: number; model: ModelJson }
  /** The weights after `epoch`, for live pictures (not stored). */
  | { type: 'weights'; runId: string; seq: number; epoch: number; params: NonNullable<ModelJson['params']>; state: NonNullable<ModelJson['state']> }
  | { type: 'finished'; runId: string; seq: number; model: ModelJson; summary: RunResultSummary }
  | { type: 'failed'; runId: string; seq: number; reason: string }
  /** Sent by the process every second; `runId` is '*' (it is about the whole process). */
  | { type: 'heartbeat'; runId: '*'; seq: number; active: string[]; queued: string[] };

const JOB_TYPES = new Set(['start', 'pause', 'resume', 'step', 'stop', 'set_lr']);

/** Structural check of a message that arrived over a port: the trainer trusts nothing it did not build. */
export function isTrainerJob(msg: unknown): msg is TrainerJob {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  if (typeof m.type !== 'string' || !JOB_TYPES.has(m.type)) return false;
  if (typeof m.runId !== 'string' || typeof m.seq !== 'number') return false;
  if (m.type === 'set_lr') return typeof m.lr === 'number' && Number.isFinite(m.lr) && m.lr >= 0;
  if (m.type === 'start') {
    const run = m.run as Record<string, unknown> | undefined;
    return typeof run === 'object' && run !== null && run.runId === m.runId && typeof run.model === 'object' &&
      typeof run.data === 'object' && typeof run.training === 'object';
  }
  return true;
}

const EVENT_TYPES = new Set(['started', 'paused', 'progress', 'metrics', 'flags', 'checkpoint', 'weights', 'finished', 'failed', 'heartbeat']);

export function isTrainerEvent(msg: unknown): msg is TrainerEvent {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return typeof m.type === 'string' && EVENT_TYPES.has(m.type) && typeof m.runId === 'string' && typeof m.seq === 'number';
}
