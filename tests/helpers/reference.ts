import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root (tests/helpers → ../..). */
export const REPO = resolve(import.meta.dirname, '../..');
/** PyTorch ground truth, read where it lives: ../shared/reference beside the clone. */
export const REFERENCE_DIR = resolve(REPO, '../shared/reference');

export function loadReference<T = { cases: unknown[] }>(file: 'activations.json' | 'networks.json' | 'optimizers.json'): T {
  return JSON.parse(readFileSync(resolve(REFERENCE_DIR, file), 'utf8')) as T;
}

/** |a − b| ≤ atol + rtol·|b|, elementwise over nested arrays; returns the first mismatch or null. */
export function mismatch(actual: unknown, expected: unknown, atol: number, rtol: number, path = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: length ${Array.isArray(actual) ? actual.length : 'n/a'} ≠ ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(actual[i], expected[i], atol, rtol, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (typeof expected === 'number') {
    const a = actual as number;
    if (Number.isNaN(expected)) return Number.isNaN(a) ? null : `${path}: ${a} ≠ NaN`;
    if (!Number.isFinite(expected)) return a === expected ? null : `${path}: ${a} ≠ ${expected}`;
    return typeof a === 'number' && Math.abs(a - expected) <= atol + rtol * Math.abs(expected) ? null : `${path}: ${a} ≠ ${expected} (|Δ| = ${Math.abs(a - expected)})`;
  }
  if (expected && typeof expected === 'object') {
    for (const k of Object.keys(expected)) {
      const m = mismatch((actual as Record<string, unknown>)?.[k], (expected as Record<string, unknown>)[k], atol, rtol, `${path}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return actual === expected ? null : `${path}: ${String(actual)} ≠ ${String(expected)}`;
}
