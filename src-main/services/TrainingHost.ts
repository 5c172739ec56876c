/**
 * Runs training in a separate trainer process: spawns it lazily, sends jobs, turns its events into
 * ApiEvents for subscribers and into batched store writes, and survives it dying (FAULTS 18–20): every
 * active run is marked failed with the reason and the next start spawns a fresh trainer.
 */
import { NeurographError } from '../../src-engine';
import type { ApiEvent, RunStatus } from '../api';
import { isDiskFull } from '../shared';
import { isTrainerEvent, trainerThreads, type TrainerEvent, type TrainerJob } from '../trainer';
import type { MetricPoint } from '../../src-engine';
import type { HostRun, RunEnd, TrainerChild, TrainingHostOptions } from './TrainingHostTypes';

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
export const DEFAULT_METRICS_FLUSH_MS = 250;

interface ActiveRun {
  runId: string;
  projectId: string;
  /** Last trainer event seq seen for this run; older ones are dropped. */
  trainerSeq: number;
  epoch: number;
  finalLoss: number | null;
  finalAccuracy: number | null;
}

export class RunNotActiveError extends NeurographError {
  constructor(readonly runId: string) {
    super(`run ${runId} is not training`, 'not_found', 'runId');
  }
}

export class TrainingHost {
  private child: TrainerChild | null = null;
  private readonly active = new Map<string, ActiveRun>();
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private pending: { runId: string; points: MetricPoint[] }[] = [];
  private readonly eventSeq = new Map<string, number>();
  private jobSeq = 0;
  private lastBeat = 0;
  /** Set when the host itself kills the trainer, so the exit is reported with the real cause. */
  private killReason: string | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private readonly tickMs: number;
  /** When the watchdog last ran (from the start: a block before its first tick is a block too). */
  private lastTick = Date.now();
  private closed = false;

  constructor(private readonly opts: TrainingHostOptions) {
    const timeout = opts.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.tickMs = Math.min(1000, timeout / 4);
    this.watchdog = setInterval(() => this.checkHeartbeat(timeout), this.tickMs);
    this.watchdog.unref();
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Threads the trainer trains on at once; runs beyond wait in its queue. */
  get threads(): number {
    return trainerThreads();
  }

  /** The trainer's process id, or undefined when none is running. */
  get trainerPid(): number | undefined {
    return this.child?.pid;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  start(run: HostRun): void {
    if (this.closed) throw new Error('the training host is shut down');
    if (this.active.has(run.runId)) throw new Error(`run ${run.runId} is already training`);
    const child = this.ensureChild();
    this.active.set(run.runId, { runId: run.runId, projectId: run.projectId, trainerSeq: 0, epoch: 0, finalLoss: null, finalAccuracy: null });
    // Queued until the trainer's pool has a thread for it ('started').
    // A library that cannot take even the status (the disk is full) fails the run before it trains.
    if (!this.record(() => this.opts.recorder.setStatus(run.runId, 'queued', null), run.runId) && !this.active.has(run.runId)) return;
    this.emitStatus(run.runId, run.projectId, 'queued', null);
    const { runId, model, data, training } = run;
    this.send(child, { type: 'start', runId, seq: ++this.jobSeq, run: { runId, model, data, training }, reporting: this.opts.reporting });
  }

  /** Asks the trainer to stop the run; it finishes with status 'stopped' and the weights so far. */
  stop(runId: string): boolean {
    return this.control(runId, 'stop');
  }
  pause(runId: string): boolean {
    return this.control(runId, 'pause');
  }
  resume(runId: string): boolean {
    return this.control(runId, 'resume');
  }
  step(runId: string): boolean {
    return this.control(runId, 'step');
  }
  /** The run's base learning rate from its next epoch on. */
  setLearningRate(runId: string, lr: number): boolean {
    if (!this.active.has(runId) || !this.child) return false;
    this.send(this.child, { type: 'set_lr', runId, seq: ++this.jobSeq, lr });
    return true;
  }

  /** App quit: cancel active runs, write pending metrics in one transaction, kill the trainer, no orphans. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    for (const run of [...this.active.values()]) this.end(run, { status: 'stopped', reason: 'cancelled: the app quit during training', model: null });
    this.flushMetrics();
    const child = this.child;
    this.child = null;
    if (child) {
      const gone = new Promise<void>((resolve) => {
        child.onExit(() => resolve());
        setTimeout(resolve, 3000).unref();
      });
      child.kill();
      await gone;
    }
  }

  private control(runId: string, type: 'stop' | 'pause' | 'resume' | 'step'): boolean {
    if (!this.active.has(runId) || !this.child) return false;
    this.send(this.child, { type, runId, seq: ++this.jobSeq });
    return true;
  }

  private send(child: TrainerChild, job: TrainerJob): void {
    try {
      child.send(job);
    } catch {
      // The channel is closing: the exit handler reports the runs.
    }
  }

  private ensureChild(): TrainerChild {
    if (this.child) return this.child;
    const child = this.opts.fork(this.opts.entry, this.opts.execArgv);
    this.child = child;
    this.killReason = null;
    this.lastBeat = Date.now();
    child.onMessage((msg) => {
      if (this.child === child && isTrainerEvent(msg)) this.onTrainerEvent(msg);
    });
    child.onExit((code, signal) => this.onTrainerExit(child, code, signal));
    return child;
  }

  private onTrainerExit(child: TrainerChild, code: number | null, signal: string | null): void {
    if (this.child !== child) return;
    this.child = null;
    const reason =
      this.killReason ??
      (signal ? `trainer process was killed (${signal})` : `trainer process exited with code ${code ?? 'unknown'}`);
    this.killReason = null;
    for (const run of [...this.active.values()]) this.end(run, { status: 'failed', reason, model: null });
    this.flushMetrics();
  }

  private checkHeartbeat(timeoutMs: number): void {
    const child = this.child;
    const now = Date.now();
    const blocked = now - this.lastTick > 3 * this.tickMs;
    this.lastTick = now;
    // Our own event loop was blocked (a heavy request): the trainer's heartbeats wait in our queue,
    // unread — that is no sign of a hung trainer, so its silence is counted from now.
    if (!child || this.active.size === 0 || blocked) {
      this.lastBeat = now;
      return;
    }
    if (Date.now() - this.lastBeat > timeoutMs) {
      this.killReason = `trainer process stopped responding (no heartbeat for ${Math.round(timeoutMs / 1000)} s) and was killed`;
      child.kill();
    }
  }

  private onTrainerEvent(event: TrainerEvent): void {
    this.lastBeat = Date.now();
    if (event.type === 'heartbeat') return;
    const run = this.active.get(event.runId);
    if (!run || event.seq <= run.trainerSeq) return;
    run.trainerSeq = event.seq;
    switch (event.type) {
      case 'started':
        if (!this.record(() => this.opts.recorder.setStatus(run.runId, 'running', null), run.runId) && !this.active.has(run.runId)) break;
        this.emitStatus(run.runId, run.projectId, 'running', null);
        break;
      case 'weights':
        this.emit({ type: 'run.weights', runId: run.runId, seq: this.nextSeq(run.runId), epoch: event.epoch, params: event.params, state: event.state });
        break;
      case 'paused':
        this.emit({ type: 'run.paused', runId: run.runId, seq: this.nextSeq(run.runId), paused: event.paused, epoch: event.epoch });
        break;
      case 'progress':
        run.epoch = event.epoch;
        this.emit({ type: 'run.progress', runId: run.runId, seq: this.nextSeq(run.runId), epoch: event.epoch, epochs: event.epochs });
        break;
      case 'metrics': {
        const last = event.points[event.points.length - 1];
        if (last) {
          run.epoch = last.epoch;
          run.finalLoss = Number.isFinite(last.loss) ? last.loss : run.finalLoss;
          run.finalAccuracy = last.accuracy ?? run.finalAccuracy;
        }
        this.pending.push({ runId: run.runId, points: event.points });
        this.scheduleFlush();
        this.emit({ type: 'run.metrics', runId: run.runId, seq: this.nextSeq(run.runId), points: event.points });
        break;
      }
      case 'flags':
        if (!this.record(() => this.opts.recorder.appendFlags(run.runId, event.flags), run.runId) && !this.active.has(run.runId)) break;
        this.emit({ type: 'run.flags', runId: run.runId, seq: this.nextSeq(run.runId), flags: event.flags });
        break;
      case 'checkpoint':
        this.flushMetrics();
        if (this.active.has(run.runId)) this.record(() => this.opts.recorder.checkpoint(run.runId, event.model), run.runId);
        break;
      case 'finished': {
        const s = event.summary;
        run.epoch = s.epochs;
        run.finalLoss = s.finalLoss;
        run.finalAccuracy = s.finalAccuracy;
        const status = s.outcome === 'completed' ? 'completed' : s.outcome === 'stopped' ? 'stopped' : 'failed';
        this.end(run, { status, reason: s.reason, model: event.model });
        break;
      }
      case 'failed':
        this.end(run, { status: 'failed', reason: event.reason, model: null });
        break;
    }
  }

  /** Records a run's end (metrics first, so history is complete) and tells subscribers what the library holds. */
  private end(run: ActiveRun, end: Pick<RunEnd, 'status' | 'reason' | 'model'>): void {
    this.active.delete(run.runId);
    this.flushMetrics();
    const full: RunEnd = { ...end, epochs: run.epoch, finalLoss: run.finalLoss, finalAccuracy: run.finalAccuracy };
    const recorded = this.recordEnd(run.runId, full);
    this.emitStatus(run.runId, run.projectId, recorded.status, recorded.reason);
    this.eventSeq.delete(run.runId);
  }

  /**
   * The final write of a run. When it fails (the disk is full) the run has not completed as far as
   * the user can tell: it is recorded failed with the reason if even that small write fits, and
   * reported failed either way — never "completed" over a library that still says "running".
   */
  private recordEnd(runId: string, full: RunEnd): Pick<RunEnd, 'status' | 'reason'> {
    try {
      this.opts.recorder.finish(runId, full);
      return full;
    } catch (err) {
      this.opts.onRecordError?.(err);
      const reason = err instanceof NeurographError ? err.message : `could not record the run: ${err instanceof Error ? err.message : String(err)}`;
      try {
        this.opts.recorder.finish(runId, { ...full, status: 'failed', reason, model: null });
      } catch {
        try {
          this.opts.recorder.setStatus(runId, 'failed', reason);
        } catch {
          // Not even a status fits: the run's owner row tells the next opener to mark it interrupted.
        }
      }
      return { status: 'failed', reason };
    }
  }

  /** A run whose results cannot be kept (the disk is full) stops training and ends failed with the reason. */
  private failRun(run: ActiveRun, reason: string): void {
    if (!this.active.has(run.runId)) return;
    if (this.child) this.send(this.child, { type: 'stop', runId: run.runId, seq: ++this.jobSeq });
    this.pending = this.pending.filter((b) => b.runId !== run.runId);
    this.end(run, { status: 'failed', reason, model: null });
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flushMetrics(), this.opts.flushMs ?? DEFAULT_METRICS_FLUSH_MS);
  }

  /** Every pending batch in one store call (one transaction). */
  private flushMetrics(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.pending.length === 0) return;
    const batches = this.pending;
    this.pending = [];
    try {
      this.opts.recorder.appendMetrics(batches);
    } catch (err) {
      this.opts.onRecordError?.(err);
      const code = (err as { code?: unknown }).code;
      // The library was busy (another process writing): keep the points for the next flush.
      if (code === 'busy') this.pending = [...batches, ...this.pending];
      else if (isDiskFull(err)) for (const runId of new Set(batches.map((b) => b.runId))) this.failIfActive(runId, err);
    }
  }

  /** Run one store write for a run; on a full disk the run fails. False when the write failed. */
  private record(write: () => void, runId?: string): boolean {
    try {
      write();
      return true;
    } catch (err) {
      this.opts.onRecordError?.(err);
      if (runId !== undefined && isDiskFull(err)) this.failIfActive(runId, err);
      return false;
    }
  }

  private failIfActive(runId: string, err: unknown): void {
    const run = this.active.get(runId);
    if (run) this.failRun(run, err instanceof Error ? err.message : String(err));
  }

  private nextSeq(runId: string): number {
    const seq = (this.eventSeq.get(runId) ?? 0) + 1;
    this.eventSeq.set(runId, seq);
    return seq;
  }

  private emitStatus(runId: string, projectId: string, status: RunStatus, reason: string | null): void {
    this.emit({ type: 'run.status', runId, projectId, seq: this.nextSeq(runId), status, reason });
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed window) must not stop training.
      }
    }
  }
}
