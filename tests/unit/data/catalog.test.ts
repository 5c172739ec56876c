import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, builtinDataset, DatasetError, parseCell } from '../../../src-engine/data';

describe('BUILTIN_DATASETS', () => {
  it('lists the truth tables, the six playground sets, the five sample tables and pima, with unique ids', () => {
    const ids = BUILTIN_DATASETS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['xor', 'and', 'or', 'circle', 'xor2d', 'gauss', 'spiral', 'reg-plane', 'reg-gauss', 'iris', 'wine', 'breast_cancer', 'digits', 'diabetes_progression', 'pima']) {
      expect(ids).toContain(id);
    }
    expect(BUILTIN_DATASETS.find((d) => d.id === 'pima')!.description).toMatch(/synthetic|Generated, not real/i);
  });

  it('states the rows, inputs, outputs and task that builtinDataset actually produces', () => {
    for (const meta of BUILTIN_DATASETS.filter((d) => d.source !== 'sample')) {
      const ds = builtinDataset(meta.id);
      expect({ id: meta.id, rows: ds.x.length, inputs: ds.x[0].length, outputs: ds.y[0].length, task: ds.task }).toEqual({
        id: meta.id,
        rows: meta.rows,
        inputs: meta.inputs,
        outputs: meta.outputs,
        task: meta.task,
      });
    }
  });

  it('gives playground classification targets as 0/1 and refuses sample tables without their file', () => {
    const ds = builtinDataset('xor2d', { points: 40, seed: 2 });
    ds.y.forEach((r, i) => expect(r[0]).toBe(ds.points![i][0] * ds.points![i][1] >= 0 ? 1 : 0));
    expect(() => builtinDataset('iris')).toThrow(DatasetError);
  });
});

describe('parseCell', () => {
  it('reads plain numbers and names each kind of bad cell', () => {
    expect(parseCell(' -1.5e2 ')).toEqual({ ok: true, value: -150 });
    expect(parseCell('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseCell('')).toEqual({ ok: false, kind: 'empty' });
    for (const s of ['N/A', 'NA', 'NaN', 'null', '?']) expect(parseCell(s)).toEqual({ ok: false, kind: 'missing' });
    expect(parseCell('1,5')).toEqual({ ok: false, kind: 'decimal_comma' });
    expect(parseCell('1,5', true)).toEqual({ ok: true, value: 1.5 });
    expect(parseCell('1e309')).toEqual({ ok: false, kind: 'overflow' });
    expect(parseCell('-Infinity')).toEqual({ ok: false, kind: 'infinite' });
    expect(parseCell('12 kg')).toEqual({ ok: false, kind: 'text' });
  });
});
