/**
 * One run on screen: its status, progress, history and health flags, fed by run.* events (live) or by
 * runs.get (a finished run reopened). The history is appended in place and announced by `revision`
 * (a run of a million epochs must not be copied on every batch); read it after reading `revision`.
 */
import type { ApiEvent, HealthFlag, MetricPoint, Run, RunStatus } from '../../../src-main/api';
import { t } from '../lib/i18n/index.svelte';
import { SOLVED_LOSS, type ModelJson } from '../lib/engine';

export type RunView = RunStatus | 'idle' | 'starting';

/** A run's weights at one epoch: what the pictures are painted from. */
export interface Weights {
  epoch: number;
  params: NonNullable<ModelJson['params']>;
  state: NonNullable<ModelJson['state']>;
}

export class RunState {
  runId = $state<string | null>(null);
  status = $state<RunView>('idle');
  reason = $state<string | null>(null);
  epoch = $state(0);
  epochs = $state(0);
  /** Paused by the user (between epochs). */
  paused = $state(false);
  flags = $state.raw<HealthFlag[]>([]);
  /** Bumped whenever `history` grows or is replaced. */
  revision = $state(0);
  /** Name of the dataset the run trained on, for the status line. */
  datasetName = $state('');
  /** The optimizer's name, for labels. */
  optimizer = $state('');
  /** The latest weights (live while training, the trained model after). */
  weights = $state.raw<Weights | null>(null);
  private points: MetricPoint[] = [];
  /** Events that arrived between runs.start and its reply (plain field: never rendered). */
  private early: ApiEvent[] = [];

  /** Every epoch so far (do not mutate). Reading it tracks `revision`. */
  get history(): readonly MetricPoint[] {
    void this.revision;
    return this.points;
  }

  readonly last: MetricPoint | undefined = $derived((void this.revision, this.points.at(-1)));
  readonly finalLoss: number | null = $derived(this.last?.loss ?? null);
  readonly progress: number = $derived(this.epochs > 0 ? Math.min(1, this.epoch / this.epochs) : 0);
  readonly active: boolean = $derived(this.status === 'starting' || this.status === 'queued' || this.status === 'running');
  readonly message: string = $derived(this.describe());

  /** Clears the chart and waits for the new run's events. */
  begin(epochs: number, datasetName: string, optimizer = ''): void {
    this.runId = null;
    this.status = 'starting';
    this.reason = null;
    this.epoch = 0;
    this.epochs = epochs;
    this.paused = false;
    this.points = [];
    this.revision++;
    this.flags = [];
    this.datasetName = datasetName;
    this.optimizer = optimizer;
    this.weights = null;
    this.early = [];
  }

  started(runId: string): void {
    this.runId = runId;
    if (this.status === 'starting') this.status = 'queued';
    const early = this.early.filter((e) => 'runId' in e && e.runId === runId);
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
    this.points = [...run.history];
    this.revision++;
    this.flags = run.flags;
    this.paused = false;
    this.epochs = run.training.epochs ?? run.epochs ?? run.history.length;
    this.epoch = run.history.at(-1)?.epoch ?? 0;
    this.datasetName = datasetName;
    this.optimizer = run.optimizer;
    this.weights = run.model?.params ? { epoch: this.epoch, params: run.model.params, state: run.model.state ?? {} } : null;
  }

  clear(): void {
    this.begin(0, '');
    this.status = 'idle';
  }

  /** Applies one api event if it belongs to this run. */
  apply(event: ApiEvent): void {
    if (!('runId' in event)) return;
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
        if (event.status !== 'running' && event.status !== 'queued') this.paused = false;
        break;
      case 'run.progress':
        this.epoch = event.epoch;
        this.epochs = event.epochs;
        break;
      case 'run.metrics':
        if (event.points.length === 0) break;
        for (const p of event.points) this.points.push(p);
        this.revision++;
        if (this.status === 'queued') this.status = 'running';
        this.epoch = Math.max(this.epoch, event.points.at(-1)!.epoch);
        break;
      case 'run.flags':
        this.flags = [...this.flags, ...event.flags];
        break;
      case 'run.weights':
        this.weights = { epoch: event.epoch, params: event.params, state: event.state };
        break;
      case 'run.paused':
        this.paused = event.paused;
        this.epoch = Math.max(this.epoch, event.epoch);
        break;
    }
  }

  private describe(): string {
    const loss = this.finalLoss;
    const at = loss !== null ? ` · ${t('loss {loss}', { loss: fmt(loss) })}` : '';
    switch (this.status) {
      case 'idle':
        return t('Ready');
      case 'starting':
        return t('Starting…');
      case 'queued':
        return t('Queued: waiting for a free training thread…');
      case 'running':
        return this.paused ? t('Paused after epoch {epoch}', { epoch: this.epoch }) + at : t('Training… epoch {epoch}/{epochs}', { epoch: this.epoch, epochs: this.epochs }) + at;
      case 'stopped':
        return t('Stopped at epoch {epoch}', { epoch: this.epoch }) + at;
      case 'failed':
        return this.reason?.startsWith('diverged') ? t('Diverged: {reason}', { reason: this.reason }) : t('Failed: {reason}', { reason: this.reason ?? t('unknown reason') });
      case 'completed':
        // A run that ended before its last epoch says when and why (early stopping).
        if (this.reason) return t('Finished: {reason}', { reason: this.reason }) + at;
        if (loss === null) return t('Finished');
        if (loss < SOLVED_LOSS) {
          const solved = this.datasetName ? ` — ${t('{name} solved', { name: t(this.datasetName) })}` : '';
          return t('Reached loss {loss} < {solved}', { loss: fmt(loss), solved: SOLVED_LOSS }) + solved;
        }
        return t('Finished: loss {loss} (not below {solved})', { loss: fmt(loss), solved: SOLVED_LOSS });
    }
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  const s = x.toPrecision(3);
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}
