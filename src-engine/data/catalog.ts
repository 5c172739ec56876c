/**
 * The built-in datasets: truth tables, playground sets, the sample tables shipped as CSV under
 * resources/datasets, and the generated Pima-shaped set. `builtinDataset` makes the ones that need
 * no file; sample tables are read by the host (Node or browser) and passed to `sampleDataset`.
 */
import { Rng } from '../tensor';
import { csvToDataset } from './csvDataset';
import type { Dataset, Task } from './dataset';
import { DatasetError } from './errors';
import { DEFAULT_FEATURES, featureColumns, FEATURES, type FeatureName } from './features';
import { pimaSynthetic } from './pima';
import { generatePlayground, isPlaygroundName, PLAYGROUND_SETS } from './playground';
import { isTruthTableName, truthTable } from './truth';

export interface BuiltinDataset {
  id: string;
  name: string;
  task: Task;
  description: string;
  /** Rows, inputs and outputs at the defaults (playground: default points and features x1, x2). */
  rows: number;
  inputs: number;
  outputs: number;
  source: 'truth-table' | 'playground' | 'sample' | 'generated';
  /** Sample tables: the file under resources/datasets; its last column is the target. */
  file?: string;
}

const truth = (id: string, op: string): BuiltinDataset => ({
  id,
  name: `${op} truth table`,
  task: 'classification',
  description: `${op} of two binary inputs: 4 rows, target 0/1.${id === 'xor' ? ' Not linearly separable: needs a hidden layer.' : ''}`,
  rows: 4,
  inputs: 2,
  outputs: 1,
  source: 'truth-table',
});

const play = (id: string, name: string, description: string): BuiltinDataset => ({
  id,
  name,
  task: PLAYGROUND_SETS[id as keyof typeof PLAYGROUND_SETS].task,
  description: `${description} (as in the TensorFlow Playground; noise, points and features adjustable).`,
  rows: PLAYGROUND_SETS[id as keyof typeof PLAYGROUND_SETS].defaultPoints,
  inputs: 2,
  outputs: 1,
  source: 'playground',
});

const sample = (id: string, name: string, task: Task, rows: number, inputs: number, outputs: number, description: string): BuiltinDataset => ({
  id,
  name,
  task,
  description,
  rows,
  inputs,
  outputs,
  source: 'sample',
  file: `${id}.csv`,
});

export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  truth('xor', 'XOR'),
  truth('and', 'AND'),
  truth('or', 'OR'),
  play('circle', 'Circle', 'A disc of one class inside a ring of the other'),
  play('xor2d', 'XOR (2-D)', 'Four quadrants, opposite quadrants share a class'),
  play('gauss', 'Two Gaussians', 'Two normal clouds around (2, 2) and (−2, −2)'),
  play('spiral', 'Spiral', 'Two interleaved spiral arms'),
  play('reg-plane', 'Plane (regression)', 'Target (x + y) / 10 over [−6, 6]²'),
  play('reg-gauss', 'Gaussian bumps (regression)', 'Six signed bumps over [−6, 6]²'),
  { ...play('blobs', 'Four blobs (4 classes)', 'Four Gaussian clusters, one class each'), outputs: 1, description: 'Four Gaussian clusters, one class each: a multi-class set (not in the Playground; noise, points and features adjustable).' },
  sample('iris', 'Iris', 'classification', 150, 4, 3, 'Fisher 1936: four flower measurements, three species.'),
  sample('wine', 'Wine', 'classification', 178, 13, 3, 'Chemical analysis of wines from three cultivars (UCI).'),
  sample('breast_cancer', 'Breast cancer (Wisconsin)', 'classification', 569, 30, 1, 'Cell-nucleus features; benign or malignant (UCI).'),
  sample('digits', 'Digits 8×8', 'classification', 1797, 64, 10, 'Handwritten digits as 8×8 pixel counts 0–16 (UCI).'),
  sample('diabetes_progression', 'Diabetes progression', 'regression', 442, 10, 1, 'Disease progression after one year (Efron et al. 2004).'),
  {
    id: 'pima',
    name: 'Pima-shaped diabetes (synthetic)',
    task: 'classification',
    description:
      'Generated, not real: 768 rows shaped like the Pima Indians diabetes table of the lectures (8 features, 268 positive). The real table is not redistributable; import your own copy as CSV.',
    rows: 768,
    inputs: 8,
    outputs: 1,
    source: 'generated',
  },
];

export function findBuiltin(id: string): BuiltinDataset {
  const d = BUILTIN_DATASETS.find((b) => b.id === id);
  if (!d) throw new DatasetError(`unknown built-in dataset '${id}' (known: ${BUILTIN_DATASETS.map((b) => b.id).join(', ')})`, 'name');
  return d;
}

export interface BuiltinOptions {
  /** Playground sets: number of points (default 500 / 1200), noise in [0, 0.5] (default 0), seed (default 1), features. */
  points?: number;
  noise?: number;
  seed?: number;
  features?: readonly string[];
}

/**
 * A built-in dataset that needs no file. Playground sets: y is the class index 0/1 (label −1 → 0,
 * +1 → 1) for classification, the real label for regression; `points` holds the raw [x, y] of each
 * row for plotting. Throws DatasetError for sample tables (use `sampleDataset`) and unknown ids.
 */
export function builtinDataset(id: string, opts: BuiltinOptions = {}): Dataset & { points?: number[][] } {
  const meta = findBuiltin(id);
  if (isTruthTableName(id)) return { name: meta.name, task: 'classification', inputNames: ['x1', 'x2'], outputNames: ['y'], ...truthTable(id), classes: ['0', '1'] };
  if (id === 'pima') return pimaSynthetic();
  if (isPlaygroundName(id)) {
    const set = PLAYGROUND_SETS[id];
    const pts = generatePlayground(id, opts.points ?? set.defaultPoints, opts.noise ?? 0, new Rng(opts.seed ?? 1));
    const features = opts.features ?? DEFAULT_FEATURES;
    const classification = set.task === 'classification';
    return {
      name: meta.name,
      task: set.task,
      inputNames: features.map((f) => FEATURES[f as FeatureName]?.label ?? f),
      outputNames: ['label'],
      x: featureColumns(pts, features),
      // Two classes: label ±1 → class 0/1; more: the label is the class index.
      y: pts.map((p) => [!classification ? p.label : set.classes > 2 ? p.label : p.label > 0 ? 1 : 0]),
      points: pts.map((p) => [p.x, p.y]),
      ...(classification ? { classes: set.classes > 2 ? Array.from({ length: set.classes }, (_, k) => String(k)) : ['-1', '+1'] } : {}),
    };
  }
  throw new DatasetError(`'${id}' is a sample table: read resources/datasets/${meta.file} and call sampleDataset`, 'name');
}

/** A sample table from its CSV text: target = last column, bad cells refused (the files have none). */
export function sampleDataset(id: string, csvText: string): Dataset {
  const meta = findBuiltin(id);
  if (meta.source !== 'sample') throw new DatasetError(`'${id}' is not a sample table`, 'name');
  return csvToDataset(csvText, { name: meta.name }).dataset;
}
