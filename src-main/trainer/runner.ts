/**
 * One run's epoch loop, independent of threads and ports: it drives a training session, batches the
 * metric points it produces, sends checkpoints on a timer, and obeys pause / resume / step / stop /
 * set_lr. Control messages are handled between epochs (the loop yields to the event loop after each);
 * a stop also lands inside an epoch, between two steps, through a flag the trainer process sets in
 * shared memory — so Stop takes effect within one optimizer step however long an epoch is.
 */
import type { HealthFlag, MetricPoint, ModelJson } from '../../src-engine';
import type { RunOutcome, RunReporting, TrainerEvent } from './protocol';

/** The part of the engine's TrainingSession the runner uses. */
export interface SessionLike {
  readonly epochs: number;
  epoch: number;
  /** One epoch; null when `interrupted` said yes between two steps. */
  runEpoch(interrupted: () => boolean): { point: MetricPoint; flags: HealthFlag[]; done: boolean; diverged?: string; stoppedEarly?: string } | null;
  setLearningRate(lr: number): void;
  stop(): void;
  exportModel(): ModelJson;
  readonly paramCount: number;
  /** The current weights, for the UI's live pictures. */
  weights(): { params: NonNullable<ModelJson['params']>; state: NonNullable<ModelJson['state']> };
  /** Frees what the session holds beyond memory (a data-parallel run's helper threads); called once the run is over. */
  close?(): void;
}

/** An event without its sequence number; the caller numbers what it sends. */
export type RunEvent = TrainerEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

/** Slots of the shared control block (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = { stop: 0, length: 1 } as const;

/** Metric batches at most every 50 ms: ≤ 20 messages a second per run. */
export const DEFAULT_FLUSH_MS = 50;
export const DEFAULT_CHECKPOINT_MS = 5000;
/** Live weights at most 5 times a second: the heatmap and thumbnails move while training… */
export const DEFAULT_WEIGHTS_MS = 200;
/** …for networks small enough to draw that way (larger ones show their weights when the run ends). */
export const LIVE_WEIGHTS_LIMIT = 20_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RunRunner {
  private paused = false;
  private stepsAllowed = 0;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private points: MetricPoint[] = [];
  private flags: HealthFlag[] = [];
  private lastPoint: MetricPoint | null = null;
  private readonly flushMs: number;
  private readonly checkpointMs: number;
  private readonly weightsMs: number;
  private readonly interrupted: () => boolean;

  constructor(
    private readonly runId: string,
    private readonly session: SessionLike,
    private readonly emit: (event: RunEvent) => void,
    reporting: RunReporting = {},
    /** Shared with the trainer process, which sets CONTROL.stop on a stop job. */
    control?: Int32Array,
  ) {
    this.flushMs = reporting.flushMs ?? DEFAULT_FLUSH_MS;
    this.checkpointMs = reporting.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
    this.weightsMs = session.paramCount <= LIVE_WEIGHTS_LIMIT ? (reporting.weightsMs ?? DEFAULT_WEIGHTS_MS) : 0;
    this.interrupted = control ? () => this.stopRequested || Atomics.load(control, CONTROL.stop) === 1 : () => this.stopRequested;
  }

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wakeUp();
  }
  /** While paused: run exactly one more epoch. */
  step(): void {
    this.stepsAllowed++;
    this.wakeUp();
  }
  stop(): void {
    this.stopRequested = true;
    this.wakeUp();
  }
  setLearningRate(lr: number): void {
    this.session.setLearningRate(lr);
  }

  /** Runs until done, stopped or diverged; emits finished or failed exactly once; then closes the session. */
  async run(): Promise<void> {
    try {
      await this.train();
    } finally {
      try {
        this.session.close?.();
      } catch {
        // Closing frees threads; the run's outcome is already sent.
      }
    }
  }

  private async train(): Promise<void> {
    this.emit({ type: 'started', runId: this.runId });
    const t0 = performance.now();
    let lastFlush = t0;
    let lastCheckpoint = t0;
    let lastWeights = -Infinity;
    let outcome: RunOutcome = 'completed';
    let reason: string | null = null;
    let reportedPause = false;
    for (;;) {
      if (this.interrupted()) {
        outcome = 'stopped';
        break;
      }
      if (this.paused && this.stepsAllowed === 0) {
        this.flush();
        if (!reportedPause) this.emit({ type: 'paused', runId: this.runId, paused: true, epoch: this.session.epoch });
        reportedPause = true;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (reportedPause && !this.paused) {
        this.emit({ type: 'paused', runId: this.runId, paused: false, epoch: this.session.epoch });
        reportedPause = false;
      }
      if (this.paused) this.stepsAllowed--;
      let result;
      try {
        result = this.session.runEpoch(this.interrupted);
      } catch (err) {
        this.flush();
        this.emit({ type: 'failed', runId: this.runId, reason: errorMessage(err) });
        return;
      }
      if (result === null) {
        outcome = 'stopped';
        break;
      }
      this.points.push(result.point);
      this.lastPoint = result.point;
      if (result.flags.length > 0) this.flags.push(...result.flags);
      if (result.diverged) {
        outcome = 'diverged';
        reason = result.diverged;
        break;
      }
      if (result.stoppedEarly) {
        reason = result.stoppedEarly;
        break;
      }
      if (result.done) break;
      const now = performance.now();
      // A paused run shows every stepped epoch at once; a running one batches.
      if (this.paused || now - lastFlush >= this.flushMs) {
        this.flush();
        lastFlush = now;
      }
      if (this.weightsMs > 0 && (this.paused || now - lastWeights >= this.weightsMs)) {
        this.sendWeights();
        lastWeights = now;
      }
      if (now - lastCheckpoint >= this.checkpointMs) {
        this.checkpoint();
        lastCheckpoint = now;
      }
      await yieldToEventLoop();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (outcome === 'stopped') this.session.stop();
    this.flush();
    if (this.weightsMs > 0) this.sendWeights();
    let model: ModelJson;
    try {
      model = this.session.exportModel();
    } catch (err) {
      this.emit({ type: 'failed', runId: this.runId, reason: `could not export the model: ${errorMessage(err)}` });
      return;
    }
    const last = this.lastPoint;
    this.emit({
      type: 'finished',
      runId: this.runId,
      model,
      summary: {
        outcome,
        epochs: last?.epoch ?? 0,
        finalLoss: last && Number.isFinite(last.loss) ? last.loss : null,
        finalAccuracy: last?.accuracy ?? null,
        reason,
        seconds,
      },
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private flush(): void {
    if (this.points.length > 0) {
      const points = this.points;
      this.points = [];
      this.emit({ type: 'metrics', runId: this.runId, points });
      this.emit({ type: 'progress', runId: this.runId, epoch: points[points.length - 1].epoch, epochs: this.session.epochs });
    }
    if (this.flags.length > 0) {
      const flags = this.flags;
      this.flags = [];
      this.emit({ type: 'flags', runId: this.runId, flags });
    }
  }

  private sendWeights(): void {
    try {
      const { params, state } = this.session.weights();
      this.emit({ type: 'weights', runId: this.runId, epoch: this.session.epoch, params, state });
    } catch {
      // Pictures are best effort.
    }
  }

  private checkpoint(): void {
    try {
      this.emit({ type: 'checkpoint', runId: this.runId, epoch: this.lastPoint?.epoch ?? 0, model: this.session.exportModel() });
    } catch {
      // A checkpoint is best effort; the final export reports its own failure.
    }
  }
}
