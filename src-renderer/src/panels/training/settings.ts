/**
 * Pure helpers behind the training panel: optimizer groups, the hyper-parameter block of one optimizer,
 * and the checks that disable Train with a message naming the field (same rules as the engine's
 * TrainingSession and createOptimizer, run before a run is started).
 */
import {
  OPTIMIZER_CATALOG,
  createOptimizer,
  OptimizerError,
  checkSchedule,
  ENTROPY_LOSSES,
  type HyperValue,
  type OptimizerInfo,
  type ScheduleConfig,
} from '../../lib/engine';
import type { TrainingSettings } from '../../state/workspace.svelte';

/** How the optimizer select groups the catalog (names not listed fall into "other"). */
const GROUPS: readonly { label: string; names: readonly string[] }[] = [
  { label: 'First-order', names: ['sgd', 'momentum', 'nesterov'] },
  { label: 'Adaptive', names: ['adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam'] },
  { label: 'Lecture methods', names: ['rprop', 'quickprop'] },
  { label: 'Second-order / line search', names: ['cg', 'bfgs', 'lbfgs', 'levenberg_marquardt'] },
];

export function optimizerGroups(): { label: string; items: OptimizerInfo[] }[] {
  const known = new Set(GROUPS.flatMap((g) => g.names));
  const out = GROUPS.map((g) => ({ label: g.label, items: OPTIMIZER_CATALOG.filter((o) => g.names.includes(o.name)) }));
  const other = OPTIMIZER_CATALOG.filter((o) => !known.has(o.name));
  if (other.length) out.push({ label: 'Other', items: other });
  return out.filter((g) => g.items.length > 0);
}

export function optimizerInfo(name: string): OptimizerInfo | undefined {
  return OPTIMIZER_CATALOG.find((o) => o.name === name);
}

/** The optimizer's own defaults as a training.optimizer block (lr kept apart; null = "derived", left out). */
export function defaultHypers(info: OptimizerInfo): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const h of info.hyper) {
    if (h.name === 'lr' || h.default === null) continue;
    out[h.name] = Array.isArray(h.default) ? [h.default[0], h.default[1]] : h.default;
  }
  return out;
}

/** A problem with the settings: the field (training-block path) and what is wrong. */
export interface SettingIssue {
  field: string;
  message: string;
}

const isPos = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonNeg = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isWhole = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Every reason the current settings would be refused by the trainer, in panel order. */
export function trainingIssues(t: TrainingSettings, extra: Record<string, unknown>): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const info = optimizerInfo(t.optimizer);
  if (!info) add('optimizer.name', `unknown optimizer "${t.optimizer}"`);
  if (!isPos(t.lr)) add('optimizer.lr', `learning rate must be a positive number, got ${t.lr}`);
  else if (info) {
    const stored = extra.optimizer as Record<string, unknown> | undefined;
    const hypers = stored?.name === t.optimizer ? stored : {};
    try {
      createOptimizer({ ...hypers, name: t.optimizer, lr: t.lr } as Parameters<typeof createOptimizer>[0], 1);
    } catch (e) {
      if (e instanceof OptimizerError) add(`optimizer.${e.param ?? ''}`, e.message);
      else add('optimizer', e instanceof Error ? e.message : String(e));
    }
  }
  if (info?.fullBatchOnly && t.batchSize !== 'full') add('batch_size', `${info.name} works on the full batch only; set batch size to "full"`);
  if (info?.name === 'levenberg_marquardt' && t.loss !== 'mse') {
    add('loss', `levenberg_marquardt needs loss mse (a sum of squares for its Jacobian), got ${t.loss}`);
  }
  if (!isWhole(t.epochs, 1)) add('epochs', `epochs must be a whole number ≥ 1, got ${t.epochs}`);
  if (t.batchSize !== 'full' && !isWhole(t.batchSize, 1)) add('batch_size', `batch size must be a whole number ≥ 1, got ${t.batchSize}`);
  if (!Number.isInteger(t.seed)) add('seed', `seed must be a whole number, got ${t.seed}`);

  const sched = extra.lr_schedule as ScheduleConfig | null | undefined;
  const schedIssue = sched ? checkSchedule(sched) : null;
  if (schedIssue) add('lr_schedule', schedIssue);
  for (const k of ['clip_grad_norm', 'clip_grad_value'] as const) {
    const v = extra[k];
    if (v != null && !isPos(v)) add(k, `${k} must be a positive number, got ${v}`);
  }
  const reg = (extra.regularization ?? {}) as Record<string, unknown>;
  for (const k of ['l1', 'l2', 'entropy']) {
    if (reg[k] != null && !isNonNeg(reg[k])) add(`regularization.${k}`, `regularization ${k} must be ≥ 0, got ${reg[k]}`);
  }
  if (typeof reg.entropy === 'number' && reg.entropy > 0 && !ENTROPY_LOSSES.includes(t.loss)) {
    add('regularization.entropy', `the entropy penalty needs a classification loss (${ENTROPY_LOSSES.join(', ')}), got ${t.loss}`);
  }
  const vs = extra.validation_split;
  if (vs != null && !(isNonNeg(vs) && (vs as number) <= 0.9)) add('validation_split', `validation split must be in [0, 0.9], got ${vs}`);
  const es = extra.early_stopping as { patience?: unknown; min_delta?: unknown } | null | undefined;
  if (es) {
    if (!isWhole(es.patience, 1)) add('early_stopping.patience', `early-stopping patience must be a whole number ≥ 1, got ${es.patience}`);
    if (es.min_delta != null && !isNonNeg(es.min_delta)) add('early_stopping.min_delta', `early-stopping min delta must be ≥ 0, got ${es.min_delta}`);
  }
  return issues;
}

/** Reads a number input: '' → null, otherwise the number (NaN stays NaN so the check reports it). */
export function readNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}
