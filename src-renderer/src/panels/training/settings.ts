/**
 * Pure helpers behind the training panel: how the optimizer select groups the catalog, and reading a
 * number input. The block itself and its check live in state/training.svelte.ts.
 */
import { OPTIMIZER_CATALOG, type OptimizerInfo } from '../../lib/engine';

/** How the optimizer select groups the catalog (names not listed fall into "other"); labels are English, shown through t(). */
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

/** Reads a number input: '' → null, otherwise the number (NaN stays NaN so the check reports it). */
export function readNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

/** A number for an input's value: finite numbers as typed, anything else as an empty field. */
export function shown(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}
