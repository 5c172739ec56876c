import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mismatch, REFERENCE_DIR, REPO } from '../../helpers/reference';

/**
 * Parity on cases that are NOT in the shared files: PyTorch's own generator (../shared/reference/
 * generate.py) is run here with a new seed, and every case is checked through the public command
 * line (`explain`, `train`), exactly as an outside parity check would.
 */
const SEED = 90210;
const dir = mkdtempSync(join(tmpdir(), 'ng-parity-'));
const csv = (rows: number[][]) => rows.map((r) => r.map((v) => String(v)).join(',')).join('\n') + '\n';

function cli(args: string[]): any {
  const r = spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), ...args, '--json'], { encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new Error(`neurograph ${args[0]} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

let networks: any[] = [];
let optimizers: any[] = [];

beforeAll(() => {
  execFileSync('/usr/bin/python3', [resolve(REFERENCE_DIR, 'generate.py'), '--seed', String(SEED), '--out', dir], { cwd: REFERENCE_DIR, stdio: 'pipe', timeout: 600_000 });
  networks = JSON.parse(readFileSync(join(dir, 'networks.json'), 'utf8')).cases;
  optimizers = JSON.parse(readFileSync(join(dir, 'optimizers.json'), 'utf8')).cases;
}, 600_000);

describe(`fresh PyTorch cases (seed ${SEED}) through the command line`, () => {
  it('explain: output, loss, activations, every gradient and BatchNorm state, in train and eval mode', () => {
    expect(networks.length).toBeGreaterThan(10);
    networks.forEach((c, k) => {
      const m = join(dir, `net${k}.json`);
      writeFileSync(m, JSON.stringify(c.model));
      writeFileSync(join(dir, `x${k}.csv`), csv(c.input));
      writeFileSync(join(dir, `y${k}.csv`), csv(c.target));
      const out = cli(['explain', m, '--input', join(dir, `x${k}.csv`), '--target', join(dir, `y${k}.csv`), '--loss', c.loss, '--mode', c.train_mode ? 'train' : 'eval']);
      const where = `case ${k} (${c.loss})`;
      expect(mismatch(out.output, c.output, 1e-8, 1e-7, 'output'), where).toBeNull();
      expect(mismatch(out.loss, c.loss_value, 1e-8, 1e-7, 'loss'), where).toBeNull();
      expect(mismatch(out.activations, c.activations, 1e-8, 1e-7, 'activations'), where).toBeNull();
      expect(mismatch(out.grads, c.grads, 1e-8, 1e-7, 'grads'), where).toBeNull();
      expect(mismatch(out.state, c.state_after, 1e-8, 1e-7, 'state'), where).toBeNull();
    });
  });

  it('train: every optimizer, full batch, 20 epochs = 20 steps, matches torch.optim step for step', () => {
    expect(optimizers.length).toBeGreaterThan(10);
    optimizers.forEach((c, k) => {
      const training = { loss: 'mse', optimizer: c.optimizer, epochs: c.steps, batch_size: 'full', shuffle: false };
      const m = join(dir, `opt${k}.json`);
      writeFileSync(m, JSON.stringify({ ...c.model, training }));
      writeFileSync(join(dir, `ox${k}.csv`), csv(c.input));
      writeFileSync(join(dir, `oy${k}.csv`), csv(c.target));
      const out = join(dir, `opt${k}-trained.json`);
      const summary = cli(['train', m, '--input', join(dir, `ox${k}.csv`), '--target', join(dir, `oy${k}.csv`), '--out', out]);
      const lbfgs = c.optimizer.name === 'lbfgs';
      // float32 training: the README's bound for torch itself in float32; lbfgs's line search amplifies rounding.
      const [atol, rtol] = lbfgs ? [2e-2, 2e-2] : [1e-4, 1e-3];
      const where = `${JSON.stringify(c.optimizer)}`;
      expect(summary.epochs, where).toBe(c.steps);
      expect(mismatch(summary.history.map((h: any) => h.loss), c.loss_before_step, atol, rtol, 'loss_before_step'), where).toBeNull();
      const trained = JSON.parse(readFileSync(out, 'utf8'));
      expect(mismatch(trained.params, c.params_after_step[String(c.steps)], atol, rtol, 'params'), where).toBeNull();
    });
  });
});
