import { describe, expect, it } from 'vitest';
import { OPTIMIZER_CATALOG, OptimizerError, createOptimizer, type Objective } from '../../../src-engine/optim';
import { leastSquares } from './fixtures';

/** A 3-weight mse least-squares problem (a quadratic with residuals, so Levenberg–Marquardt runs too). */
const X = [
  [1, 0.5, -1],
  [1, -1.5, 0.3],
  [1, 2, 0.8],
  [1, 0.1, -0.4],
  [1, -0.7, 1.9],
];
const Y = [0.3, -1.2, 2.5, 0.1, -0.6];
const problem = () => leastSquares(X, Y, [0.5, -0.5, 0.5]);

const run = (name: string, steps: number, obj: Objective = problem()) => {
  const opt = createOptimizer({ name }, obj.size);
  for (let k = 0; k < steps; k++) opt.step(obj);
  return { obj, opt };
};

const NAMES = OPTIMIZER_CATALOG.map((c) => c.name);

describe('optimizer catalog', () => {
  it('lists every required optimizer with label, description and defaults for each hyper-parameter', () => {
    for (const n of ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'rprop', 'quickprop', 'cg', 'bfgs', 'lbfgs', 'levenberg_marquardt']) {
      expect(NAMES).toContain(n);
    }
    for (const c of OPTIMIZER_CATALOG) {
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(40);
      expect(Object.keys(c.defaults)).toEqual(c.hyper.map((h) => h.name));
      expect(c.hyper.map((h) => h.name)).toContain('lr');
    }
  });

  it('marks exactly the line-search and second-order methods as full-batch only', () => {
    const full = OPTIMIZER_CATALOG.filter((c) => c.fullBatchOnly).map((c) => c.name).sort();
    expect(full).toEqual(['bfgs', 'cg', 'lbfgs', 'levenberg_marquardt']);
    for (const c of OPTIMIZER_CATALOG) expect(createOptimizer({ name: c.name }, 3).fullBatchOnly).toBe(c.fullBatchOnly);
  });

  it.each(NAMES)('%s: stats() reports exactly the keys its catalog entry names, all finite', (name) => {
    const { opt } = run(name, 3);
    const stats = opt.stats();
    expect(Object.keys(stats).sort()).toEqual([...OPTIMIZER_CATALOG.find((c) => c.name === name)!.stats].sort());
    for (const v of Object.values(stats)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('every optimizer, with its default hyper-parameters', () => {
  it.each(NAMES)('%s decreases a convex quadratic (least squares) without NaN', (name) => {
    const obj = problem();
    const before = obj.evaluate();
    run(name, 40, obj);
    const after = obj.evaluate();
    expect(after).toBeLessThan(before);
    for (const v of obj.theta) expect(Number.isFinite(v)).toBe(true);
  });

  it.each(NAMES)('%s is deterministic: the same steps twice give bit-identical θ, and reset() forgets all state', (name) => {
    const a = run(name, 15);
    const b = run(name, 15);
    expect(Array.from(b.obj.theta)).toEqual(Array.from(a.obj.theta));
    const c = problem();
    a.opt.reset();
    for (let k = 0; k < 15; k++) a.opt.step(c);
    expect(Array.from(c.theta)).toEqual(Array.from(a.obj.theta));
  });

  it.each(NAMES)('%s leaves θ untouched when the loss is NaN', (name) => {
    const obj = problem();
    const nan: Objective = {
      size: obj.size,
      theta: obj.theta,
      grad: obj.grad,
      evaluate: () => (obj.evaluate(), NaN),
      residuals: {
        count: 5,
        scale: 0.2,
        evaluate: (r, J) => (obj.residuals!.evaluate(r, J), NaN),
      },
    };
    const before = Array.from(obj.theta);
    const opt = createOptimizer({ name }, obj.size);
    expect(Number.isNaN(opt.step(nan))).toBe(true);
    expect(Array.from(obj.theta)).toEqual(before);
  });

  it.each(NAMES)('%s returns the loss at θ before the step, as torch', (name) => {
    const obj = problem();
    const before = obj.evaluate();
    const opt = createOptimizer({ name }, obj.size);
    expect(opt.step(obj)).toBeCloseTo(before, 12);
  });
});

describe('hyper-parameter validation', () => {
  const throwsFor = (config: Record<string, unknown>, param: string, text: string | RegExp) => {
    let err: unknown;
    try {
      createOptimizer(config as { name: string }, 4);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptimizerError);
    expect((err as OptimizerError).param).toBe(param);
    expect((err as OptimizerError).message).toMatch(text);
  };

  it('names the parameter and the allowed range', () => {
    throwsFor({ name: 'adam', betas: [1.5, 0.999] }, 'betas', 'adam: betas[0] must be in [0, 1), got 1.5');
    throwsFor({ name: 'sgd', lr: -0.1 }, 'lr', 'sgd: lr must be in [0, inf), got -0.1');
    throwsFor({ name: 'rmsprop', centered: 'yes' }, 'centered', /centered must be true or false/);
    throwsFor({ name: 'lbfgs', max_iter: 2.5 }, 'max_iter', /max_iter must be an integer/);
    throwsFor({ name: 'lbfgs', line_search_fn: 'backtracking' }, 'line_search_fn', /must be one of null, "strong_wolfe"/);
    throwsFor({ name: 'adagrad', eps: Number.NaN }, 'eps', /eps must be a finite number/);
  });

  it('applies PyTorch’s cross-parameter rules', () => {
    throwsFor({ name: 'sgd', nesterov: true }, 'nesterov', /nesterov requires momentum > 0 and dampening = 0/);
    throwsFor({ name: 'sgd', nesterov: true, momentum: 0.9, dampening: 0.1 }, 'nesterov', /dampening = 0/);
    throwsFor({ name: 'rprop', etas: [1.2, 0.5] }, 'etas', /0 < etas\[0\] < 1 < etas\[1\]/);
    throwsFor({ name: 'rprop', step_sizes: [1, 0.1] }, 'step_sizes', /must not exceed/);
    throwsFor({ name: 'cg', c1: 0.5, c2: 0.1 }, 'c2', /c2 must exceed c1/);
  });

  it('refuses unknown optimizers and unknown hyper-parameters', () => {
    throwsFor({ name: 'adamm' }, 'name', /unknown optimizer "adamm"/);
    throwsFor({ name: 'adam', momentum: 0.9 }, 'momentum', /adam: unknown hyper-parameter "momentum"/);
  });

  it.each(OPTIMIZER_CATALOG.flatMap((c) => c.hyper.filter((h) => h.min !== undefined).map((h) => [c.name, h.name, h.min!] as const)))(
    '%s refuses %s below its minimum',
    (name, param, min) => {
      const spec = OPTIMIZER_CATALOG.find((c) => c.name === name)!.hyper.find((h) => h.name === param)!;
      const below = min - 1;
      const value = spec.kind === 'pair' ? [below, below] : below;
      throwsFor({ name, [param]: value }, param, new RegExp(`^${name}: ${param}`));
    },
  );

  it('refuses dense second-order methods on too many weights, suggesting lbfgs', () => {
    for (const name of ['bfgs', 'levenberg_marquardt']) {
      expect(() => createOptimizer({ name }, 5000)).toThrow(/too many.*use lbfgs/);
    }
    expect(() => createOptimizer({ name: 'lbfgs' }, 5000)).not.toThrow();
  });
});
