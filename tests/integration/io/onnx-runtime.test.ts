/**
 * The ONNX export run in ONNX Runtime (onnxruntime-node, CPU): its outputs equal the engine's predict
 * (float64 predictRows) within 1e-5 for every node type, for DAGs with merges, and with input scaling;
 * and onnx.checker (python3-onnx) accepts every file, when python3-onnx is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { applyScaling, compile, exportOnnx, predictRows, type ModelJson } from '../../../src-engine';
import { mismatch } from '../../helpers/reference';
import { mergeModel, nodeTypeModels, ROWS } from '../../unit/io/node-models';

const dir = mkdtempSync(join(tmpdir(), 'ng-onnx-'));
const PYTHON = '/usr/bin/python3';

/** The model's outputs in ONNX Runtime, one array of rows per graph output, for raw input rows. */
async function runtime(bytes: Uint8Array, rows: number[][]): Promise<Record<string, number[][]>> {
  const session = await ort.InferenceSession.create(bytes);
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
  const out = await session.run({ [session.inputNames[0]]: input });
  return Object.fromEntries(
    session.outputNames.map((name) => {
      const t = out[name];
      const w = t.dims[1] as number;
      const data = Array.from(t.data as Float32Array);
      return [name, Array.from({ length: rows.length }, (_, r) => data.slice(r * w, (r + 1) * w))];
    }),
  );
}

/** The engine's predict for an output node: float64, the rows scaled as the model's meta.scaling says. */
function engine(model: ModelJson, rows: number[][], output = model.outputs[0]): number[][] {
  return predictRows(compile({ ...model, outputs: [output, ...model.outputs.filter((o) => o !== output)] }, { dtype: 'float64' }), applyScaling((model.meta?.scaling as never) ?? null, rows));
}

const checker = spawnSync(PYTHON, ['-c', 'import onnx, onnx.checker'], { encoding: 'utf8' });
const hasChecker = checker.status === 0;
const skipReason = hasChecker ? '' : ` — SKIPPED: python3-onnx is not installed here (apt-get install -y python3-onnx): ${checker.stderr.trim().split('\n').at(-1)}`;

describe('ONNX Runtime runs the export to the engine’s predictions', () => {
  it('every node type (kinks, tails, non-default attributes, BatchNorm running statistics), within 1e-5', async () => {
    const cases = nodeTypeModels();
    expect(cases.length).toBeGreaterThan(30);
    for (const { name, model } of cases) {
      const got = await runtime(exportOnnx(model), ROWS);
      expect(mismatch(got.fc, engine(model, ROWS), 1e-5, 0), name).toBeNull();
    }
  });

  it('a DAG with residual, three-way and Concat merges and two outputs, within 1e-5, for any batch size', async () => {
    const model = mergeModel();
    const bytes = exportOnnx(model);
    for (const rows of [ROWS, ROWS.slice(0, 1), [...ROWS, ...ROWS, ...ROWS]]) {
      const got = await runtime(bytes, rows);
      expect(Object.keys(got)).toEqual(['y', 'a2']);
      expect(mismatch(got.y, engine(model, rows, 'y'), 1e-5, 0)).toBeNull();
      expect(mismatch(got.a2, engine(model, rows, 'a2'), 1e-5, 0)).toBeNull();
    }
  });

  it('input scaling inside the file: raw rows in, the same outputs as predict on scaled rows', async () => {
    for (const scaling of [
      { kind: 'standardize', mean: [1, -2, 0.5], scale: [2, 0.25, 3] },
      { kind: 'minmax', min: [-8, -8, -6], max: [8, 6, -6] },
    ]) {
      const model: ModelJson = { ...mergeModel(), meta: { scaling } };
      const got = await runtime(exportOnnx(model), ROWS);
      expect(mismatch(got.y, engine(model, ROWS, 'y'), 1e-5, 0), scaling.kind).toBeNull();
      // …and the scaling matters: without it the outputs differ.
      expect(mismatch(got.y, engine(mergeModel(), ROWS, 'y'), 1e-5, 0), scaling.kind).not.toBeNull();
    }
  });

  it.skipIf(!hasChecker)(`onnx.checker (full check, with shape inference) accepts every export${skipReason}`, () => {
    const models = [...nodeTypeModels().map((c) => c.model), mergeModel(), { ...mergeModel(), meta: { scaling: { kind: 'standardize', mean: [0, 0, 0], scale: [1, 2, 3] } } }];
    const files = models.map((m, i) => {
      const f = join(dir, `m${i}.onnx`);
      writeFileSync(f, exportOnnx(m));
      return f;
    });
    const script = 'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1)';
    const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBe(files.length);
  });
});
