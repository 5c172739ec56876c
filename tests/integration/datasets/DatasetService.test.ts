import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvError, generatePlayground } from '../../../src-engine/data';
import { Rng } from '../../../src-engine/tensor';
import { DatasetService } from '../../../src-main/services/DatasetService';
import { ProjectStore } from '../../../src-main/services/ProjectStore';
import { useTempLibrary } from '../store/helpers';

const temp = useTempLibrary();
const SHARED = join(process.cwd(), '../shared/data');

function service(): { svc: DatasetService; store: ProjectStore; path: string } {
  const { path } = temp();
  const store = new ProjectStore({ path });
  return { svc: new DatasetService({ store }), store, path };
}

/** Row count, feature count and class count read straight from the shared CSV (the last column is the target). */
function shape(file: string): { rows: number; inputs: number; classes: number } {
  const lines = readFileSync(join(SHARED, file), 'utf8').trim().split(/\r?\n/);
  const target = new Set(lines.slice(1).map((l) => l.split(',').at(-1)));
  return { rows: lines.length - 1, inputs: lines[0].split(',').length - 1, classes: target.size };
}

describe('built-in datasets', () => {
  it('loads every sample table with the rows and columns of the shared data and the catalog', () => {
    const { svc, store } = service();
    const list = svc.list();
    for (const [id, file] of [['iris', 'iris.csv'], ['wine', 'wine.csv'], ['breast_cancer', 'breast_cancer.csv'], ['digits', 'digits.csv'], ['diabetes_progression', 'diabetes_progression.csv']]) {
      const s = shape(file);
      const view = svc.load({ kind: 'builtin', name: id });
      const entry = list.find((d) => d.id === id)!;
      expect(view.x).toHaveLength(s.rows);
      expect(view.x[0]).toHaveLength(s.inputs);
      expect(entry).toMatchObject({ rows: s.rows, inputs: s.inputs, outputs: view.y[0].length, task: view.task });
      if (view.task === 'classification') expect(view.y[0]).toHaveLength(s.classes === 2 ? 1 : s.classes);
    }
    expect(svc.load({ kind: 'builtin', name: 'diabetes_progression' }).task).toBe('regression');
    store.close();
  });

  it('honours points, noise, seed and features for playground sets and returns the raw points', () => {
    const { svc, store } = service();
    const view = svc.load({ kind: 'builtin', name: 'circle', points: 100, noise: 0.1, seed: 9, features: ['x1sq', 'x2sq', 'x1x2'] });
    const expected = generatePlayground('circle', 100, 0.1, new Rng(9));
    expect(view.points).toEqual(expected.map((p) => [p.x, p.y]));
    expect(view.x[5]).toEqual([expected[5].x ** 2, expected[5].y ** 2, expected[5].x * expected[5].y]);
    expect(view.y.map((r) => r[0])).toEqual(expected.map((p) => (p.label > 0 ? 1 : 0)));
    expect(view.inputNames).toHaveLength(3);
    store.close();
  });

  it('loads the XOR truth table', () => {
    const { svc, store } = service();
    expect(svc.load({ kind: 'builtin', name: 'xor' })).toMatchObject({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] });
    expect(() => svc.load({ kind: 'builtin', name: 'mnist' })).toThrow(/unknown built-in dataset/);
    store.close();
  });
});

describe('imported CSV tables', () => {
  it('stores an import in the library, lists it, and loads it after a restart with another target', () => {
    const { svc, store, path } = service();
    const summary = svc.importCsv('  my table ', 'a;b;label\n1,5;2;x\n2,5;3;y\n3,5;1;x\n');
    expect(summary).toMatchObject({ name: 'my table', kind: 'table', task: 'classification', rows: 3, inputs: 2, outputs: 1 });
    store.close();

    const store2 = new ProjectStore({ path });
    const svc2 = new DatasetService(store2);
    expect(svc2.list().filter((d) => d.kind === 'table').map((d) => d.id)).toEqual([summary.id]);
    const view = svc2.load({ kind: 'table', datasetId: summary.id });
    expect(view.x).toEqual([[1.5, 2], [2.5, 3], [3.5, 1]]);
    expect(view.y).toEqual([[0], [1], [0]]);
    const byA = svc2.load({ kind: 'table', datasetId: summary.id, target: ['a'] });
    expect(byA.outputNames).toEqual(['a']);
    expect(byA.y).toEqual([[1.5], [2.5], [3.5]]);
    store2.close();
  });

  it('refuses bad cells unless the user chose drop or fill, and stores nothing when refused', () => {
    const { svc, store } = service();
    const text = 'a,b\n1,0\nN/A,1\n3,0\n4,1\n';
    expect(() => svc.importCsv('t', text)).toThrow(CsvError);
    expect(store.listDatasets()).toEqual([]);
    const dropped = svc.importCsv('t', text, { missing: 'drop' });
    expect(dropped.rows).toBe(3);
    const filled = svc.importCsv('t2', text, { missing: 'mean' });
    expect(svc.load({ kind: 'table', datasetId: filled.id }).x[1]).toEqual([(1 + 3 + 4) / 3]);
    store.close();
  });
});
