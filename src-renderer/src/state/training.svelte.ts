/**
 * The project's training block as the training panel edits it: one snake_case block (the engine's
 * TrainingBlock, saved as it is), private, changed only through the methods below, with the engine's
 * own check (checkTraining) as a derived list of issues — so the panel, the api and the trainer can
 * never disagree about what trains.
 */
import { checkTraining, OPTIMIZER_CATALOG, SCHEDULES, TRAINING_DEFAULTS, withTrainingDefaults } from '../lib/engine';
import type { HyperValue, OptimizerInfo, ScheduleName, TrainingBlock, TrainingIssue } from '../lib/engine';

export type BatchMode = 'full' | 'stochastic' | 'mini';
export type ClipMode = 'none' | 'norm' | 'value';
type Optimizer = NonNullable<TrainingBlock['optimizer']>;
type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The mini-batch size offered when switching to mini-batches. */
const MINI_BATCH = 32;

export function optimizerInfo(name: string): OptimizerInfo | undefined {
  return OPTIMIZER_CATALOG.find((o) => o.name === name);
}

/** An optimizer's catalog defaults as a training.optimizer block (null = "derived", left out). */
export function defaultOptimizer(info: OptimizerInfo): Optimizer {
  const out: Optimizer = { name: info.name };
  for (const h of info.hyper) {
    if (h.default === null) continue;
    out[h.name] = Array.isArray(h.default) ? [h.default[0], h.default[1]] : h.default;
  }
  return out;
}

function batchModeOf(size: TrainingBlock['batch_size']): BatchMode {
  return size === undefined || size === 'full' ? 'full' : size === 1 ? 'stochastic' : 'mini';
}

export class TrainingState {
  #block = $state<TrainingBlock>({ loss: TRAINING_DEFAULTS.loss });
  /** Kept apart from the size so that typing "10" into the mini-batch field never flips to stochastic on the "1". */
  #batchMode = $state<BatchMode>('full');

  /** Every reason the block would be refused, by field — the engine's checkTraining. */
  readonly issues: TrainingIssue[] = $derived(checkTraining($state.snapshot(this.#block)));
  /** The block with its defaults filled in, for showing values the block leaves out. */
  readonly resolved = $derived(withTrainingDefaults($state.snapshot(this.#block)));
  readonly optimizer: OptimizerInfo | undefined = $derived(optimizerInfo(this.resolved.optimizer.name));
  readonly batchMode: BatchMode = $derived(this.#batchMode);

  /** The block as it is edited (read-only: change it through the methods). */
  get block(): DeepReadonly<TrainingBlock> {
    return this.#block;
  }

  /** A plain copy of the block, to save or to send. */
  snapshot(): TrainingBlock {
    return $state.snapshot(this.#block) as TrainingBlock;
  }

  /** Issues of one field and the fields below it (`optimizer` → `optimizer.betas`, …). */
  issuesFor(field: string): TrainingIssue[] {
    return this.issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`));
  }

  load(block: TrainingBlock): void {
    this.#block = structuredClone(block);
    this.#batchMode = batchModeOf(block.batch_size);
  }

  setLoss(loss: string): void {
    this.#block.loss = loss;
  }

  /** A new optimizer starts from ITS defaults (another optimizer's hyper-parameters would be refused). */
  chooseOptimizer(name: string): void {
    const info = optimizerInfo(name);
    if (!info) return;
    this.#block.optimizer = defaultOptimizer(info);
    if (info.fullBatchOnly) this.setBatchMode('full');
  }

  /** One hyper-parameter of the chosen optimizer (lr included); null removes it (its default applies). */
  setHyper(name: string, value: HyperValue | null): void {
    const current = this.#block.optimizer ?? { name: this.resolved.optimizer.name };
    const next: Optimizer = { ...current };
    if (value === null) delete next[name];
    else next[name] = value;
    this.#block.optimizer = next;
  }

  setEpochs(epochs: number): void {
    this.#block.epochs = epochs;
  }

  setBatchMode(mode: BatchMode): void {
    this.#batchMode = mode;
    if (mode === 'full') this.#block.batch_size = 'full';
    else if (mode === 'stochastic') this.#block.batch_size = 1;
    else if (typeof this.#block.batch_size !== 'number' || this.#block.batch_size === 1) this.#block.batch_size = MINI_BATCH;
  }

  /** The mini-batch size as typed (NaN while the field is empty: the check reports it). */
  setBatchSize(size: number): void {
    this.#batchMode = 'mini';
    this.#block.batch_size = size;
  }

  setShuffle(on: boolean): void {
    this.#block.shuffle = on;
  }

  setSeed(seed: number): void {
    this.#block.seed = seed;
  }

  /** A schedule with its parameters at their catalog defaults (cosine's T_max: the run's epochs). */
  setSchedule(name: ScheduleName): void {
    if (name === 'constant') {
      delete this.#block.lr_schedule;
      return;
    }
    const params = Object.fromEntries(SCHEDULES[name].params.filter((p) => p.default !== null).map((p) => [p.key, p.default]));
    this.#block.lr_schedule = { name, ...params } as TrainingBlock['lr_schedule'];
  }

  setScheduleParam(key: string, value: number | null): void {
    const s = this.#block.lr_schedule;
    if (!s) return;
    const next = { ...s } as Record<string, unknown>;
    if (value === null) delete next[key];
    else next[key] = value;
    this.#block.lr_schedule = next as TrainingBlock['lr_schedule'];
  }

  readonly clipMode: ClipMode = $derived(this.#block.clip_grad_norm != null ? 'norm' : this.#block.clip_grad_value != null ? 'value' : 'none');

  /** Clipping by global norm or by value with threshold c (kept when switching between the two). */
  setClip(mode: ClipMode, c?: number): void {
    const previous = this.#block.clip_grad_norm ?? this.#block.clip_grad_value ?? 1;
    delete this.#block.clip_grad_norm;
    delete this.#block.clip_grad_value;
    if (mode === 'norm') this.#block.clip_grad_norm = c ?? previous;
    if (mode === 'value') this.#block.clip_grad_value = c ?? previous;
  }

  /** λ of one penalty; 0 or null removes it. */
  setRegularization(key: 'l1' | 'l2' | 'entropy', lambda: number | null): void {
    const next = { ...(this.#block.regularization ?? {}) };
    if (lambda === null || lambda === 0) delete next[key];
    else next[key] = lambda;
    if (Object.keys(next).length) this.#block.regularization = next;
    else delete this.#block.regularization;
  }

  setValidationSplit(fraction: number | null): void {
    if (fraction === null || fraction === 0) delete this.#block.validation_split;
    else this.#block.validation_split = fraction;
  }

  /** The fraction of rows held out as test data (the Playground's train:test ratio); 0 holds none out. */
  setTestSplit(fraction: number): void {
    if (!(fraction > 0)) delete this.#block.test_split;
    else this.#block.test_split = Math.round(fraction * 100) / 100;
  }

  /** Early stopping on (patience 20) or off. */
  setEarlyStopping(on: boolean): void {
    if (on) this.#block.early_stopping = { patience: 20, min_delta: 0 };
    else delete this.#block.early_stopping;
  }

  setPatience(patience: number): void {
    if (this.#block.early_stopping) this.#block.early_stopping = { ...this.#block.early_stopping, patience };
  }

  setInit(init: string): void {
    if (init === 'default') delete this.#block.init;
    else this.#block.init = init as TrainingBlock['init'];
  }
}
