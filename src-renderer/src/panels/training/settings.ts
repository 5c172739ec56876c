/**
 * Pure helpers behind the training panel: optimizer groups, the hyper-parameter block of one optimizer,
 * and the checks that disable Train with a message naming the field (the engine's checkTraining, which
 * the trainer applies too, run before a run is started).
 */
import {
  OPTIMIZER_CATALOG,
  checkTraining,
  type HyperValue,
  type OptimizerInfo,
  type TrainingBlock,
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

/**
 * Every reason the current settings would be refused by the trainer: the engine's own check of the
 * training block (checkTraining), so the panel and the trainer cannot disagree.
 */
export function trainingIssues(t: TrainingSettings, extra: Record<string, unknown>): SettingIssue[] {
  const stored = extra.optimizer as Record<string, unknown> | undefined;
  const hypers = stored?.name === t.optimizer ? stored : {};
  const block = {
    ...extra,
    loss: t.loss,
    optimizer: { ...hypers, name: t.optimizer, lr: t.lr },
    epochs: t.epochs,
    batch_size: t.batchSize,
    seed: t.seed,
  } as TrainingBlock;
  return checkTraining(block);
}

/** Reads a number input: '' → null, otherwise the number (NaN stays NaN so the check reports it). */
export function readNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}
