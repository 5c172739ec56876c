/**
 * One run's epoch loop, independent of threads and ports: it drives a training session, batches the
 * metric points it produces, sends checkpoints on a timer, and obeys pause / resume / step / stop between
 * epochs (it yields to the event loop after every epoch so those messages get through).
 */
import type { HealthFlag, MetricPoint, ModelJson } from '../../src-engine';
import type { RunOutcome, RunReporting, TrainerEvent } from './protocol';

/** The part of the engine's TrainingSession the runner uses. */
export interface SessionLike {
  readonly epochs: number;
  epoch: number;
  runEpoch(): { point: MetricPoint; flags: HealthFlag[]; done: boolean; diverged?: string; stoppedEarly?: string };
  stop(): void;
  exportModel(): ModelJson;
}

/** An event without its sequence number; the caller numbers what it sends. */
export type RunEvent = TrainerEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

export const DEFAULT_FLUSH_MS = 50;
export const DEFAULT_CHECKPOINT_MS = 5000;

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

  constructor(
    private readonly runId: string,
    private readonly session: SessionLike,
    private readonly emit: (event: RunEvent) => void,
    reporting: RunReporting = {},
  ) {
    this.flushMs = reporting.flushMs ?? DEFAULT_FLUSH_MS;
    this.checkpointMs = reporting.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
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

  /** Runs until done, stopped or diverged; emits finished or failed exactly once. */
  async run(): Promise<void> {
    const t0 = performance.now();
    let lastFlush = t0;
    let lastCheckpoint = t0;
    let outcome: RunOutcome = 'completed';
    let reason: string | null = null;
    for (;;) {
      if (this.stopRequested) {
        outcome = 'stopped';
        break;
      }
      if (this.paused && this.stepsAllowed === 0) {
        this.flush();
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (this.paused) this.stepsAllowed--;
      let result;
      try {
        result = this.session.runEpoch();
      } catch (err) {
        this.flush();
        this.emit({ type: 'failed', runId: this.runId, reason: errorMessage(err) });
        return;
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
      if (now - lastFlush >= this.flushMs) {
        this.flush();
        lastFlush = now;
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

  private checkpoint(): void {
    try {
      this.emit({ type: 'checkpoint', runId: this.runId, epoch: this.lastPoint?.epoch ?? 0, model: this.session.exportModel() });
    } catch {
      // A checkpoint is best effort; the final export reports its own failure.
    }
  }
}
