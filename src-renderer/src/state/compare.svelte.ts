/**
 * The compare view's state: which optimizers are picked (each with its own hyper-parameters, starting
 * at the catalog's defaults), the shared settings, and one RunState per compared run, fed by the same
 * run events as the main run. A compare is one group of runs in the library; it reopens from there.
 */
import { call, type ApiClient } from '../lib/api';
import { t } from '../lib/i18n/index.svelte';
import { OPTIMIZER_CATALOG, type HyperValue, type MetricPoint } from '../lib/engine';
import { PALETTE } from '../lib/plot';
import type { ApiEvent, CompareGroup, Run } from '../../../src-main/api';
import { RunState } from './run.svelte';
import { defaultOptimizer } from './training.svelte';

/** At most this many optimizers in one compare (the api's limit). */
export const MAX_COMPARED = 12;

export interface ComparedRun {
  key: string;
  label: string;
  color: string;
  state: RunState;
}

/** One row of the results table. */
export interface CompareRow {
  key: string;
  label: string;
  color: string;
  status: string;
  runId: string | null;
  finalLoss?: number;
  valLoss?: number;
  accuracy?: number;
  epochs: number;
  /** First epoch (and training seconds) at which the loss reached the target, if it did. */
  epochToTarget?: number;
  secondsToTarget?: number;
  evals?: number;
  seconds?: number;
  flags: string;
  hasModel: boolean;
}

export type SortKey = 'label' | 'finalLoss' | 'valLoss' | 'accuracy' | 'epochToTarget' | 'secondsToTarget' | 'evals';

function toTarget(history: readonly MetricPoint[], target: number): { epoch?: number; t?: number } {
  const hit = history.find((p) => p.loss <= target);
  return hit ? { epoch: hit.epoch, t: hit.t } : {};
}

export class CompareState {
  open = $state(false);
  /** The picked optimizers, by catalog name, each with its hyper-parameter block. */
  picks = $state<Record<string, Record<string, HyperValue>>>({});
  epochs = $state<number | null>(null);
  target = $state(0.05);
  xMode = $state<'epoch' | 'time'>('epoch');
  layer = $state('');
  internal = $state('');
  sortBy = $state<SortKey>('finalLoss');
  sortAsc = $state(true);
  groupId = $state<string | null>(null);
  groups = $state.raw<CompareGroup[]>([]);
  runs = $state.raw<ComparedRun[]>([]);
  error = $state<string | null>(null);
  starting = $state(false);
  threads = $state(0);

  readonly pickedNames: string[] = $derived(Object.keys(this.picks));
  readonly running: boolean = $derived(this.starting || this.runs.some((r) => r.state.active));
  readonly rows: CompareRow[] = $derived(this.tableRows());

  constructor(private readonly api: ApiClient) {}

  /** Picks or drops an optimizer; a pick starts from the catalog's defaults. */
  toggle(name: string): void {
    const next = { ...this.picks };
    if (next[name]) delete next[name];
    else {
      if (Object.keys(next).length >= MAX_COMPARED) {
        this.error = t('Compare at most {n} optimizers at once.', { n: MAX_COMPARED });
        return;
      }
      const info = OPTIMIZER_CATALOG.find((o) => o.name === name);
      if (!info) return;
      const { name: _n, ...hypers } = defaultOptimizer(info);
      next[name] = hypers as Record<string, HyperValue>;
    }
    this.error = null;
    this.picks = next;
  }

  setHyper(name: string, key: string, value: HyperValue | null): void {
    const cur = this.picks[name];
    if (!cur) return;
    const next = { ...cur };
    if (value === null) delete next[key];
    else next[key] = value;
    this.picks = { ...this.picks, [name]: next };
  }

  /** Routes the api's run events to the compared runs. */
  apply(event: ApiEvent): void {
    for (const r of this.runs) r.state.apply(event);
  }

  async refresh(projectId: string): Promise<void> {
    this.groups = await call(this.api, 'compare.list', { projectId });
  }

  async start(projectId: string, datasetName: string): Promise<void> {
    const names = this.pickedNames;
    if (names.length === 0) return;
    this.error = null;
    this.starting = true;
    const states = names.map((name, i) => ({ key: name, label: name, color: PALETTE[i % PALETTE.length], state: new RunState() }));
    for (const r of states) r.state.begin(this.epochs ?? 0, datasetName, r.key);
    this.runs = states;
    try {
      const optimizers = names.map((name) => ({ name, ...this.picks[name] }));
      const training = this.epochs !== null && Number.isFinite(this.epochs) ? { epochs: this.epochs } : undefined;
      const { groupId, runIds } = await call(this.api, 'compare.start', { projectId, optimizers, training });
      this.groupId = groupId;
      runIds.forEach((id, i) => states[i].state.started(id));
      await this.refresh(projectId);
      this.threads = this.groups.find((g) => g.id === groupId)?.settings.threads ?? 0;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      for (const r of states) r.state.failed(this.error);
    } finally {
      this.starting = false;
    }
  }

  async stop(): Promise<void> {
    if (!this.groupId) return;
    await call(this.api, 'compare.stop', { groupId: this.groupId });
  }

  /** Reopens a saved compare with its charts and table. */
  async show(groupId: string, datasetName: string): Promise<void> {
    const { group, runs } = await call(this.api, 'compare.get', { groupId });
    this.groupId = group.id;
    this.threads = group.settings.threads;
    this.picks = Object.fromEntries(group.settings.optimizers.map(({ name, ...h }) => [name, h as Record<string, HyperValue>]));
    this.runs = runs.map((run: Run, i) => {
      const state = new RunState();
      state.show(run, datasetName);
      return { key: `${run.optimizer}:${i}`, label: run.optimizer, color: PALETTE[i % PALETTE.length], state };
    });
  }

  sort(key: SortKey): void {
    if (this.sortBy === key) this.sortAsc = !this.sortAsc;
    else {
      this.sortBy = key;
      this.sortAsc = key !== 'accuracy';
    }
  }

  private tableRows(): CompareRow[] {
    const rows = this.runs.map((r): CompareRow => {
      const h = r.state.history;
      const last = r.state.last;
      const hit = toTarget(h, this.target);
      return {
        key: r.key,
        label: r.label,
        color: r.color,
        status: r.state.status,
        runId: r.state.runId,
        finalLoss: last?.loss,
        valLoss: last?.val_loss,
        accuracy: last?.accuracy,
        epochs: last?.epoch ?? 0,
        epochToTarget: hit.epoch,
        secondsToTarget: hit.t,
        evals: last?.evals,
        seconds: last?.t,
        flags: [...new Set(r.state.flags.map((f) => `${t(f.kind)} ${f.node}`))].join(', '),
        hasModel: !r.state.active && r.state.runId !== null && r.state.status !== 'failed',
      };
    });
    const k = this.sortBy;
    const dir = this.sortAsc ? 1 : -1;
    const value = (row: CompareRow) => row[k];
    return rows.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === vb) return 0;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      return (va < vb ? -1 : 1) * dir;
    });
  }
}
