/**
 * The run on screen: its status, progress, loss history and health flags, fed by run.* events
 * (live) or by runs.get (a finished run reopened). History arrays are replaced, never mutated.
 */
import type { ApiEvent, HealthFlag, MetricPoint, Run, RunStatus } from '../../../src-main/api';
import { SOLVED_LOSS } from '../lib/engine';

export class RunState {
  runId = $state<string | null>(null);
  status = $state<RunStatus | 'idle' | 'starting'>('idle');
  reason = $state<string | null>(null);
  epoch = $state(0);
  epochs = $state(0);
  history = $state.raw<MetricPoint[]>([]);
  flags = $state.raw<HealthFlag[]>([]);
  /** Events that arrived between runs.start and its reply (plain field: never rendered). */
  private early: ApiEvent[] = [];
  /** Name of the dataset the run trained on, for the status line. */
  datasetName = $state('');

  readonly finalLoss: number | null = $derived(this.history.at(-1)?.loss ?? null);
  readonly progress: number = $derived(this.epochs > 0 ? Math.min(1, this.epoch / this.epochs) : 0);
  readonly active: boolean = $derived(this.status === 'starting' || this.status === 'queued' || this.status === 'running');
  readonly message: string = $derived(this.describe());

  /** Clears the chart and waits for the new run's events. */
  begin(epochs: number, datasetName: string): void {
    this.runId = null;
    this.status = 'starting';
    this.reason = null;
    this.epoch = 0;
    this.epochs = epochs;
    this.history = [];
    this.flags = [];
    this.datasetName = datasetName;
    this.early = [];
  }

  started(runId: string): void {
    this.runId = runId;
    if (this.status === 'starting') this.status = 'queued';
    const early = this.early.filter((e) => e.runId === runId);
    this.early = [];
    for (const e of early) this.apply(e);
  }

  failed(reason: string): void {
    this.status = 'failed';
    this.reason = reason;
  }

  /** Shows a stored run (reload, reopen). */
  show(run: Run, datasetName: string): void {
    this.runId = run.id;
    this.status = run.status;
    this.reason = run.reason;
    this.history = run.history;
    this.flags = run.flags;
    this.epochs = run.epochs || run.training.epochs || run.history.length;
    this.epoch = run.history.at(-1)?.epoch ?? 0;
    this.datasetName = datasetName;
  }

  clear(): void {
    this.begin(0, '');
    this.status = 'idle';
  }

  /** Applies one api event if it belongs to this run. */
  apply(event: ApiEvent): void {
    if (this.status === 'starting' && this.runId === null) {
      // runs.start has not answered yet, but the trainer may already be streaming: keep the events.
      this.early.push(event);
      return;
    }
    if (event.runId !== this.runId) return;
    switch (event.type) {
      case 'run.status':
        this.status = event.status;
        this.reason = event.reason;
        break;
      case 'run.progress':
        this.epoch = event.epoch;
        this.epochs = event.epochs;
        break;
      case 'run.metrics':
        if (event.points.length === 0) break;
        this.history = [...this.history, ...event.points];
        if (this.status === 'queued') this.status = 'running';
        this.epoch = Math.max(this.epoch, event.points.at(-1)!.epoch);
        break;
      case 'run.flags':
        this.flags = [...this.flags, ...event.flags];
        break;
    }
  }

  private describe(): string {
    const loss = this.finalLoss;
    switch (this.status) {
      case 'idle':
        return 'Ready';
      case 'starting':
      case 'queued':
        return 'Starting…';
      case 'running':
        return `Training… epoch ${this.epoch}/${this.epochs}` + (loss !== null ? ` · loss ${fmt(loss)}` : '');
      case 'stopped':
        return `Stopped at epoch ${this.epoch}` + (loss !== null ? ` · loss ${fmt(loss)}` : '');
      case 'failed':
        return `Failed: ${this.reason ?? 'unknown reason'}`;
      case 'completed':
        // A run that ended before its last epoch says when and why (early stopping).
        if (this.reason) return `Finished: ${this.reason}` + (loss !== null ? ` · loss ${fmt(loss)}` : '');
        if (loss === null) return 'Finished';
        if (loss < SOLVED_LOSS) {
          const solved = this.datasetName ? ` — ${this.datasetName} solved` : '';
          return `Reached loss ${fmt(loss)} < ${SOLVED_LOSS}${solved}`;
        }
        return `Finished: loss ${fmt(loss)} (not below ${SOLVED_LOSS})`;
    }
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  const s = x.toPrecision(3);
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}
