/**
 * What the TrainingHost needs from the outside: a way to fork the trainer process (child_process.fork
 * under Node, utilityProcess.fork in Electron) and a place to record what runs produce (the ProjectStore,
 * adapted in services/index.ts). Both injected, so tests and the two shells share the host.
 */
import type { DataTable, HealthFlag, MetricPoint, ModelJson, TrainingBlock } from '../../src-engine';
import type { RunStatus } from '../api';
import type { TrainerJob } from '../trainer';

/** A running trainer process, whatever forked it. */
export interface TrainerChild {
  readonly pid: number | undefined;
  send(job: TrainerJob): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Exactly once, when the process is gone: its exit code, or the signal that killed it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGKILL: the trainer holds nothing that needs a graceful end. */
  kill(): void;
}

export type ForkTrainer = (entry: string, execArgv: string[]) => TrainerChild;

/** How a run ended, as the store records it. */
export interface RunEnd {
  status: Extract<RunStatus, 'completed' | 'stopped' | 'failed'>;
  reason: string | null;
  /** Final weights; null when the trainer died (the last checkpoint stays). */
  model: ModelJson | null;
  epochs: number;
  finalLoss: number | null;
  finalAccuracy: number | null;
}

/** Where a run's results go. appendMetrics is called with every pending batch at once: one transaction. */
export interface RunRecorder {
  appendMetrics(batches: { runId: string; points: MetricPoint[] }[]): void;
  appendFlags(runId: string, flags: HealthFlag[]): void;
  checkpoint(runId: string, model: ModelJson): void;
  setStatus(runId: string, status: RunStatus, reason: string | null): void;
  finish(runId: string, end: RunEnd): void;
}

/** A run handed to the host: already created in the store. */
export interface HostRun {
  runId: string;
  projectId: string;
  model: ModelJson;
  data: DataTable;
  training: TrainingBlock;
}

export interface TrainingHostOptions {
  fork: ForkTrainer;
  entry: string;
  execArgv: string[];
  recorder: RunRecorder;
  /** No heartbeat for this long while runs are active → the trainer is killed and its runs fail. */
  heartbeatTimeoutMs?: number;
  /** Pending metric points are written at most this often, all in one transaction. */
  flushMs?: number;
  /** Passed to the trainer with every start job. */
  reporting?: { flushMs?: number; checkpointMs?: number };
  /** Called when recording fails (disk full, read-only library); the run goes on in memory. */
  onRecordError?: (err: unknown) => void;
}
