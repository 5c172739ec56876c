import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerConfig } from '../../../src-engine/optim';
import { flatten, mlpObjective, readReference, type MlpParams } from './fixtures';

interface OptimizerCase {
  optimizer: OptimizerConfig;
  model: { params: MlpParams };
  input: number[][];
  target: number[][];
  steps: number;
  loss_before_step: number[];
  params_after_step: Record<string, MlpParams>;
}

const { cases } = readReference<{ cases: OptimizerCase[] }>('optimizers.json');

/** The reference README's float32 tolerance |a − b| ≤ 1e-4 + 1e-3·|b| is run()'s default; we run in float64. */

/**
 * L-BFGS with the strong Wolfe line search on the first case amplifies rounding about 100× per step:
 * PyTorch 1.13 itself, re-run in float64 on the reference's (12-digit) inputs, lands 0.49 away from
 * the reference parameters at step 10, while agreeing to 3e-9 at step 2. So that case is compared step
 * for step only through step 2; later steps are checked for what both runs share: the loss never rises
 * and ends near zero. The second case (no line search, 48 rows) is well conditioned (the reference
 * README: ~2e-6 drift over 20 steps in PyTorch float64) and is held at every step.
 */
const LBFGS_REPRODUCIBLE_STEPS = 2;
const chaotic = (c: OptimizerCase) => c.optimizer.name === 'lbfgs' && c.optimizer.line_search_fn === 'strong_wolfe';

function run(c: OptimizerCase, lastCompared: number, close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(b)) {
  const obj = mlpObjective(c.model.params, c.input, c.target);
  const opt = createOptimizer(c.optimizer, obj.size);
  const losses: number[] = [];
  for (let k = 1; k <= c.steps; k++) {
    const loss = opt.step(obj);
    losses.push(loss);
    if (k > lastCompared) continue;
    const want = c.loss_before_step[k - 1];
    if (!close(loss, want)) expect.fail(`step ${k}: loss ${loss}, PyTorch ${want}`);
    const snap = c.params_after_step[String(k)];
    if (snap) {
      flatten(snap).forEach((b, i) => {
        if (!close(obj.theta[i], b)) expect.fail(`after step ${k}: θ[${i}] = ${obj.theta[i]}, PyTorch ${b}`);
      });
    }
  }
  return { losses, final: obj.evaluate() };
}

describe('optimizers match torch.optim 1.13 on a 3→5 tanh→1 MLP (mse, full batch)', () => {
  it('has reference cases for every PyTorch optimizer we mirror', () => {
    const names = new Set(cases.map((c) => c.optimizer.name));
    for (const n of ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'rprop', 'lbfgs']) {
      expect(names.has(n), n).toBe(true);
    }
  });

  for (const c of cases) {
    const { name, ...hyper } = c.optimizer;
    if (chaotic(c)) {
      it(`lbfgs ${JSON.stringify(hyper)}: first ${LBFGS_REPRODUCIBLE_STEPS} steps match PyTorch, then the loss falls monotonically to near zero as PyTorch's does`, () => {
        const { losses, final } = run(c, LBFGS_REPRODUCIBLE_STEPS);
        for (let k = 1; k < losses.length; k++) expect(losses[k]).toBeLessThanOrEqual(losses[k - 1]);
        const torchFinal = c.loss_before_step[c.steps - 1];
        expect(torchFinal).toBeLessThan(1e-6);
        expect(final).toBeLessThan(1e-6);
      });
      continue;
    }
    if (name === 'lbfgs') {
      it(`lbfgs ${JSON.stringify(hyper)}: well conditioned, held at every step to 1e-9 (float64)`, () => {
        run(c, c.steps, (a, b) => Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b));
      });
      continue;
    }
    it(`${name} ${JSON.stringify(hyper)}: losses before every step and params after steps 1, 2, 5, 10, 20 match PyTorch`, () => {
      run(c, c.steps);
    });
  }
});
