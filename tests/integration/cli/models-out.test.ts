/**
 * The command line's ways out and back in: `export --to onnx`, `import model.onnx`, and the PyTorch
 * file's `train` fed by `export --to pytorch` — each checked against `predict`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../../src-engine/io/onnx-schema';
import { mismatch, REPO } from '../../helpers/reference';
import { mergeModel, ROWS } from '../../unit/io/node-models';

const dir = mkdtempSync(join(tmpdir(), 'ng-cli-out-'));
const run = (args: string[]) => spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), ...args], { encoding: 'utf8', cwd: dir });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

const model = { ...mergeModel(), outputs: ['y'], training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, batch_size: 4 } };
writeFileSync(join(dir, 'm.json'), JSON.stringify(model));
writeFileSync(join(dir, 'X.csv'), ROWS.map((r) => r.join(',')).join('\n') + '\n');
writeFileSync(join(dir, 'Y.csv'), ROWS.map((r) => [Math.tanh(r[0]), 0.5, -r[2] / 8].join(',')).join('\n') + '\n');
const predict = (file: string) => {
  const p = run(['predict', file, '--data', 'X.csv', '--json']);
  expect(p.status, p.stderr).toBe(0);
  return lastJson(p.stdout).output as number[][];
};

describe('npx neurograph export --to onnx / import', () => {
  it('USAGE lists the onnx export and the import command', () => {
    const h = run(['--help']);
    expect(h.stdout).toContain('export <model.json> --to pytorch|onnx|json');
    expect(h.stdout).toContain('import <model.onnx> [--out model.json]');
  });

  it('export --to onnx writes a file that ONNX Runtime runs to predict’s outputs; import gives back a model that predicts the same', async () => {
    const e = run(['export', 'm.json', '--to', 'onnx', '--out', 'm.onnx', '--json']);
    expect(e.status, e.stderr).toBe(0);
    expect(lastJson(e.stdout)).toMatchObject({ out: 'm.onnx', to: 'onnx' });
    const bytes = new Uint8Array(readFileSync(join(dir, 'm.onnx')));
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(ROWS.flat()), [ROWS.length, 3]) });
    const data = Array.from(out.y.data as Float32Array);
    const ours = predict('m.json');
    expect(mismatch(ROWS.map((_, r) => data.slice(r * 3, r * 3 + 3)), ours, 1e-5, 0)).toBeNull();

    const i = run(['import', 'm.onnx', '--out', 'back.json', '--json']);
    expect(i.status, i.stderr).toBe(0);
    expect(lastJson(i.stdout)).toMatchObject({ out: 'back.json', nodes: model.nodes.length, outputs: ['y'], scaling: null });
    expect(mismatch(predict('back.json'), ours, 1e-6, 0)).toBeNull();
    // Written under a temporary name and renamed: nothing half-written is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses what it cannot do with exit code 2 and a message: onnx without --out, an unsupported operator, a file that is not ONNX', () => {
    const noOut = run(['export', 'm.json', '--to', 'onnx']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('give --out model.onnx');
    const conv = encodeOnnxModel({
      ir_version: 8,
      opset_import: [{ version: 17 }],
      graph: {
        node: [{ op_type: 'Conv', input: ['in', 'w'], output: ['y'], name: 'conv1' }],
        input: [{ name: 'in', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 4 }] } } } }],
        output: [{ name: 'y' }],
      },
    });
    writeFileSync(join(dir, 'conv.onnx'), conv);
    const r = run(['import', 'conv.onnx', '--out', 'conv.json', '--json']);
    expect(r.status).toBe(2);
    expect(lastJson(r.stdout)).toMatchObject({ code: 'invalid_model', path: 'graph.node[0]' });
    expect(r.stderr).toContain("ONNX node 0 'conv1' (Conv): operator 'Conv' is not supported");
    expect(existsSync(join(dir, 'conv.json'))).toBe(false);
    const notOnnx = run(['import', 'm.json']);
    expect(notOnnx.status).toBe(2);
    expect(notOnnx.stderr).toContain('not an ONNX model');
  });
});

describe('npx neurograph export --to pytorch, then python3 model.py train', () => {
  it('trains on in 2 worker processes and writes model JSON that `predict` reads', () => {
    expect(run(['export', 'm.json', '--to', 'pytorch', '--out', 'model.py']).status).toBe(0);
    const t = spawnSync('/usr/bin/python3', ['model.py', 'train', '--input', 'X.csv', '--target', 'Y.csv', '--workers', '2', '--out', 'torch-trained.json'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    expect(t.status, t.stderr).toBe(0);
    const s = lastJson(t.stdout);
    expect(s).toMatchObject({ epochs: 5, workers: 2, out: 'torch-trained.json' });
    const torchOut = spawnSync('/usr/bin/python3', ['model.py', '--input', 'X.csv', '--weights', 'torch-trained.json'], { cwd: dir, encoding: 'utf8' });
    expect(torchOut.status, torchOut.stderr).toBe(0);
    const rows = torchOut.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
    expect(mismatch(predict('torch-trained.json'), rows, 1e-5, 0)).toBeNull();
  });
});
