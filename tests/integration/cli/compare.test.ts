import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/reference';

const dir = mkdtempSync(join(tmpdir(), 'ng-compare-'));
const cli = (args: string[]) => spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), ...args], { encoding: 'utf8', cwd: dir });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

/** A 2-6-k network on the circle set ending in `head` (each pairing's natural output), trained by `loss`. */
function model(head: { id: string; type: string; in: string[] }[], units: number, loss: string) {
  return {
    format: 'neurograph-model',
    version: 1,
    nodes: [
      { id: 'x', type: 'Input', size: 2 },
      { id: 'fc1', type: 'Linear', in: ['x'], units: 6 },
      { id: 'a1', type: 'Tanh', in: ['fc1'] },
      { id: 'out', type: 'Linear', in: ['a1'], units },
      ...head,
    ],
    outputs: [head.at(-1)?.id ?? 'out'],
    training: { loss, optimizer: { name: 'adam', lr: 0.05 }, epochs: 15, batch_size: 10, seed: 5, validation_split: 0.2 },
  };
}

const PAIRINGS = [
  { name: 'Tanh + mse', m: model([{ id: 'y', type: 'Tanh', in: ['out'] }], 1, 'mse') },
  { name: 'Sigmoid + bce', m: model([{ id: 'y', type: 'Sigmoid', in: ['out'] }], 1, 'bce') },
  { name: 'logits + bce_logits', m: model([], 1, 'bce_logits') },
  { name: 'LogSoftmax + nll', m: model([{ id: 'y', type: 'LogSoftmax', in: ['out'] }], 2, 'nll') },
  { name: 'logits + cross_entropy', m: model([], 2, 'cross_entropy') },
];

describe('compare with one optimizer trains exactly as train does (same block, same targets, same weights)', () => {
  for (const { name, m } of PAIRINGS) {
    it(name, () => {
      const file = `${name.replace(/\W+/g, '_')}.json`;
      writeFileSync(join(dir, file), JSON.stringify(m));
      const data = ['--dataset', 'circle', '--points', '100'];
      const t = cli(['train', file, ...data, '--out', `trained-${file}`, '--json']);
      expect(t.status, t.stderr).toBe(0);
      const c = cli(['compare', file, ...data, '--optimizers', 'adam', '--json']);
      expect(c.status, c.stderr).toBe(0);
      const trained = lastJson(t.stdout);
      const [run] = lastJson(c.stdout).runs;
      expect(run.error).toBeUndefined();
      expect(run.final_loss).toBe(trained.final_loss);
      expect(run.history.map((p: { loss: number; val_loss: number }) => [p.loss, p.val_loss])).toEqual(trained.history.map((p: { loss: number; val_loss: number }) => [p.loss, p.val_loss]));
      // The class targets were encoded for the loss: the run learns (accuracy is reported and rises above chance).
      expect(trained.history.at(-1).accuracy).toBeGreaterThan(0.5);
    });
  }
});
