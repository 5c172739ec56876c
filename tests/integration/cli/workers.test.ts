/**
 * `neurograph train --workers N|auto` (data-parallel shards on threads): the trained weights are
 * those the engine computes for the same seed and worker count on one thread, the summary says how
 * many workers ran, and a bad count or a BatchNorm model is refused by field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, TrainingSession, type ModelJson } from '../../../src-engine';
import { REPO } from '../../helpers/reference';

const dir = mkdtempSync(join(tmpdir(), 'ng-cli-workers-'));
const run = (args: string[]) => spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), ...args], { encoding: 'utf8', cwd: dir });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

const model: ModelJson = {
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 6 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 16 },
    { id: 'a1', type: 'Tanh', in: ['fc1'] },
    { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 },
  ],
  outputs: ['fc2'],
  training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 4, batch_size: 50, seed: 2 },
};
const r = new Rng(6);
const x = Array.from({ length: 300 }, () => Array.from({ length: 6 }, () => Math.round(r.normal(0, 1) * 1000) / 1000));
const y = x.map((row) => [Math.round((row[0] - row[1] * row[2]) * 1000) / 1000]);
writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
writeFileSync(join(dir, 'X.csv'), `${x.map((row) => row.join(',')).join('\n')}\n`);
writeFileSync(join(dir, 'Y.csv'), `${y.map((row) => row.join(',')).join('\n')}\n`);

describe('neurograph train --workers', () => {
  it('2 workers on threads train to the weights the engine computes for 2 shards, bit for bit', () => {
    const t = run(['train', 'model.json', '--input', 'X.csv', '--target', 'Y.csv', '--workers', '2', '--out', 'w2.json', '--json']);
    expect(t.status, t.stderr).toBe(0);
    expect(lastJson(t.stdout).workers).toBe(2);
    const trained = JSON.parse(readFileSync(join(dir, 'w2.json'), 'utf8')) as ModelJson;
    expect(trained.training).toMatchObject({ workers: 2 });
    const local = new TrainingSession(model, { x, y }, { ...model.training!, workers: 2 });
    local.runAll();
    expect(trained.params).toEqual(local.exportModel().params);
  });

  it("'auto' picks one worker for a small network; the default is one", () => {
    for (const extra of [['--workers', 'auto'], []]) {
      const t = run(['train', 'model.json', '--input', 'X.csv', '--target', 'Y.csv', ...extra, '--out', 'auto.json', '--json']);
      expect(t.status, t.stderr).toBe(0);
      expect(lastJson(t.stdout).workers).toBe(1);
    }
  });

  it('refuses a bad count and BatchNorm with workers ≥ 2, naming training.workers', () => {
    const bad = run(['train', 'model.json', '--input', 'X.csv', '--target', 'Y.csv', '--workers', '0', '--out', 'bad.json', '--json']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/workers/);
    const bn: ModelJson = { ...model, nodes: [...model.nodes.slice(0, 2), { id: 'bn1', type: 'BatchNorm1d', in: ['fc1'] }, { id: 'a1', type: 'Tanh', in: ['bn1'] }, model.nodes[3]] };
    writeFileSync(join(dir, 'bn.json'), JSON.stringify(bn));
    const t = run(['train', 'bn.json', '--input', 'X.csv', '--target', 'Y.csv', '--workers', '2', '--out', 'bn-out.json', '--json']);
    expect(t.status).not.toBe(0);
    expect(t.stderr + t.stdout).toMatch(/BatchNorm1d bn1.*workers to 1/);
  });
});
