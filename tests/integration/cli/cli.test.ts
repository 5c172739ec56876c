import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelJson } from '../../../src-engine/io';
import { REPO } from '../../helpers/reference';
import { xorModel } from '../../helpers/xor';
import { ProjectStore } from '../../../src-main/services/ProjectStore';

const dir = mkdtempSync(join(tmpdir(), 'ng-cli-'));
const run = (args: string[]) => spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), ...args], { encoding: 'utf8', cwd: dir });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

const xor = xorModel(4, { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 400, batch_size: 'full', seed: 3 });
writeFileSync(join(dir, 'xor.json'), JSON.stringify(xor));
writeFileSync(join(dir, 'X.csv'), '0,0\n0,1\n1,0\n1,1\n');
writeFileSync(join(dir, 'Y.csv'), '0\n1\n1\n0\n');

describe('npx neurograph', () => {
  it('train brings XOR below 0.05 and predict returns [0, 1, 1, 0] when rounded', () => {
    const t = run(['train', 'xor.json', '--input', 'X.csv', '--target', 'Y.csv', '--out', 'trained.json', '--json']);
    expect(t.status, t.stderr).toBe(0);
    const s = lastJson(t.stdout);
    expect(s.epochs).toBe(400);
    expect(s.final_loss).toBeLessThan(0.05);
    expect(s.history).toHaveLength(400);
    expect(s.history[0]).toMatchObject({ epoch: 1 });
    expect(s.history[0].loss).toBeGreaterThan(s.final_loss);
    expect(s.out).toBe('trained.json');
    expect(s.seconds).toBeGreaterThan(0);
    expect(Array.isArray(s.flags)).toBe(true);
    // The written model validates and carries its weights.
    const trained = parseModelJson(readFileSync(join(dir, 'trained.json'), 'utf8'));
    expect(trained.params?.fc1.weight).toHaveLength(4);
    const p = run(['predict', 'trained.json', '--data', 'X.csv', '--json']);
    expect(p.status, p.stderr).toBe(0);
    expect(lastJson(p.stdout).output.map((r: number[]) => Math.round(r[0]))).toEqual([0, 1, 1, 0]);
  });

  it('train --db --project records the run where the app shows it (project, history, trained model)', () => {
    const db = join(dir, 'library.sqlite');
    for (let k = 0; k < 2; k++) {
      const t = run(['train', 'xor.json', '--dataset', 'xor', '--epochs', '30', '--db', db, '--project', 'From the CLI', '--out', `rec${k}.json`, '--json']);
      expect(t.status, t.stderr).toBe(0);
    }
    const store = new ProjectStore({ path: db });
    try {
      const projects = store.listProjects().filter((p) => p.name === 'From the CLI');
      expect(projects).toHaveLength(1);
      const project = store.getProject(projects[0].id);
      expect(project.graph.nodes.map((n) => n.type)).toEqual(['Input', 'Linear', 'Tanh', 'Linear', 'Sigmoid']);
      const runs = store.listRuns(project.id);
      expect(runs).toHaveLength(2);
      const full = store.getRun(runs[0].id);
      expect(full.status).toBe('completed');
      expect(full.history).toHaveLength(30);
      expect(full.model?.params?.fc1.weight).toHaveLength(4);
    } finally {
      store.close();
    }
  });

  it('same seed, same run: two trainings give identical weights, bit for bit', () => {
    for (const out of ['a.json', 'b.json']) expect(run(['train', 'xor.json', '--dataset', 'xor', '--epochs', '50', '--batch-size', '2', '--out', out, '--json']).status).toBe(0);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  it('flags override the training block (optimizer, lr, epochs)', () => {
    const t = run(['train', 'xor.json', '--dataset', 'xor', '--optimizer', 'rprop', '--epochs', '7', '--out', 'r.json', '--json']);
    expect(t.status, t.stderr).toBe(0);
    expect(lastJson(t.stdout).epochs).toBe(7);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).training.optimizer.name).toBe('rprop');
  });

  it('a second-order optimizer refuses mini-batches with a clear message', () => {
    const t = run(['train', 'xor.json', '--dataset', 'xor', '--optimizer', 'bfgs', '--batch-size', '2', '--out', 'z.json']);
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/bfgs works on the full batch only/);
  });

  it('bad input: a clear one-line error and a non-zero exit, never a stack trace', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...xor, nodes: xor.nodes.map((n) => (n.id === 'fc1' ? { ...n, units: 0 } : n)) }));
    const b = run(['train', 'bad.json', '--dataset', 'xor', '--out', 'o.json']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/nodes\[1\]\.units: fc1: units must be ≥ 1, got 0/);
    expect(b.stderr).not.toMatch(/ at .*\.ts:\d+/);
    writeFileSync(join(dir, 'nan.csv'), '0,0\n0,abc\n');
    const c = run(['predict', 'xor.json', '--data', 'nan.csv']);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/line 2, column 2.*'abc' is not a finite number/);
    expect(run(['frobnicate']).status).toBe(2);
    const wrongWidth = run(['train', 'xor.json', '--input', 'X.csv', '--target', 'X.csv', '--out', 'o.json']);
    expect(wrongWidth.stderr).toMatch(/needs 1 target column/);
  });

  it('compare trains every optimizer from the same weights in parallel threads', () => {
    const c = run(['compare', 'xor.json', '--dataset', 'xor', '--optimizers', 'adam,sgd,rprop', '--epochs', '30', '--json']);
    expect(c.status, c.stderr).toBe(0);
    const r = lastJson(c.stdout);
    expect(r.runs.map((x: { optimizer: { name: string } }) => x.optimizer.name)).toEqual(['adam', 'sgd', 'rprop']);
    // Identical starting weights and data: the loss before the first step is the same for all.
    const first = r.runs.map((x: { history: { loss: number }[] }) => x.history[0].loss);
    expect(new Set(first).size).toBe(1);
    expect(r.wall_seconds).toBeGreaterThan(0);
  });

  it('export --to pytorch gives a file that PyTorch runs to the same outputs', () => {
    expect(run(['train', 'xor.json', '--dataset', 'xor', '--out', 'trained2.json']).status).toBe(0);
    const e = run(['export', 'trained2.json', '--to', 'pytorch', '--out', 'model.py']);
    expect(e.status, e.stderr).toBe(0);
    const py = spawnSync('/usr/bin/python3', ['model.py', '--input', 'X.csv'], { cwd: dir, encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const torchOut = py.stdout.trim().split('\n').map((l) => Number(l));
    const ours = lastJson(run(['predict', 'trained2.json', '--data', 'X.csv', '--json']).stdout).output.map((r: number[]) => r[0]);
    torchOut.forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-6));
  });
});
