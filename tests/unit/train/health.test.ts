import { describe, expect, it } from 'vitest';
import { compile, type ModelJson } from '../../../src-engine/graph';
import { fromRows, Rng } from '../../../src-engine/tensor';
import { activationStats, GradientHealth, HEALTH_DEFAULTS, TrainingSession, updateRatios, type HealthFlag } from '../../../src-engine/train';

/** Input(2) → [Linear(width) → act] × depth → Linear(1). */
function stack(depth: number, act: string, width = 8, extra: (i: number) => ModelJson['nodes'] = () => []): ModelJson {
  const nodes: ModelJson['nodes'] = [{ id: 'x', type: 'Input', size: 2 }];
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({ id: `fc${i}`, type: 'Linear', in: [prev], units: width });
    prev = `fc${i}`;
    for (const n of extra(i)) {
      nodes.push({ ...n, in: [prev] });
      prev = n.id;
    }
    nodes.push({ id: `a${i}`, type: act, in: [prev] });
    prev = `a${i}`;
  }
  nodes.push({ id: 'out', type: 'Linear', in: [prev], units: 1 });
  return { format: 'neurograph-model', version: 1, nodes, outputs: ['out'] };
}

function data(n = 40, seed = 2) {
  const r = new Rng(seed);
  const x = Array.from({ length: n }, () => [r.uniform(-2, 2), r.uniform(-2, 2)]);
  return { x, y: x.map(([a, b]) => [Math.sin(a) + 0.5 * b]) };
}

function flagsOf(model: ModelJson, block: Partial<Parameters<typeof train>[1]> = {}, epochs = 6): HealthFlag[] {
  return train(model, { loss: 'mse', optimizer: { name: 'sgd', lr: 0.01 }, epochs, ...block }).flags;
}

function train(model: ModelJson, block: ConstructorParameters<typeof TrainingSession>[2]) {
  const s = new TrainingSession(model, data(), block);
  const flags: HealthFlag[] = [];
  s.runAll((r) => flags.push(...r.flags));
  return { s, flags };
}

describe('gradient health names the right cause and the lecture\'s remedy', () => {
  it('a deep sigmoid stack raises vanishing on its first layer after `patience` epochs, blaming the sigmoid slope', () => {
    const model = stack(10, 'Sigmoid');
    expect(flagsOf(model, {}, 2).some((f) => f.kind === 'vanishing')).toBe(false);
    const v = flagsOf(model, {}, 6).find((f) => f.kind === 'vanishing')!;
    expect(v.node).toBe('fc1');
    expect(v.epoch).toBe(HEALTH_DEFAULTS.patience);
    expect(v.message).toMatch(/Sigmoid's is at most 0\.25/);
    expect(v.message).toMatch(/ReLU-family activations/);
  });

  it('the same stack with ReLU + BatchNorm does not vanish', () => {
    const model = stack(10, 'ReLU', 8, (i) => [{ id: `bn${i}`, type: 'BatchNorm1d' }]);
    expect(flagsOf(model, { init: 'kaiming_uniform' }).filter((f) => f.kind === 'vanishing')).toEqual([]);
  });

  it('never advises ReLU to a ReLU network; a ReLU network whose units all died is told "dead", with the dying-ReLU remedy', () => {
    // Every unit of a1 dead: its bias far below any input.
    const model = stack(2, 'ReLU');
    const compiled = compile(model, { seed: 1 });
    const params = compiled.paramsJson();
    params.fc1.bias = (params.fc1.bias as number[]).map(() => -50);
    const flags = flagsOf({ ...model, params });
    const dead = flags.find((f) => f.kind === 'dead')!;
    expect(dead.node).toBe('a1');
    expect(dead.message).toMatch(/^every unit of a1 output 0 for every sample/);
    expect(dead.message).toMatch(/LeakyReLU or ELU/);
    for (const f of flags) expect(f.message).not.toMatch(/ReLU-family|try ReLU/);
  });

  it('saturated: tanh units driven far into their tails', () => {
    const model = stack(1, 'Tanh');
    const params = compile(model, { seed: 1 }).paramsJson();
    params.fc1.weight = (params.fc1.weight as number[][]).map((row) => row.map((w) => w * 200));
    const sat = flagsOf({ ...model, params }).find((f) => f.kind === 'saturated')!;
    expect(sat.node).toBe('a1');
    expect(sat.message).toMatch(/flat tails/);
  });

  it('exploding: a norm above the threshold, or grown 10× within a few epochs', () => {
    const h = new GradientHealth({ layers: ['fc1', 'fc2'], activations: ['Tanh'], output: 'fc2', optimizer: 'sgd', lr: 0.1 });
    const at = (epoch: number, fc1: number) => h.check({ epoch, loss: 1, grad: { fc1, fc2: 1 }, dead: {}, saturated: {} });
    expect(at(1, 2).flags).toEqual([]);
    expect(at(2, 3).flags).toEqual([]);
    const grown = at(3, 40).flags;
    expect(grown.map((f) => [f.kind, f.node])).toEqual([['exploding', 'fc1']]);
    expect(grown[0].message).toMatch(/grew 20× within 2 epochs/);
    const other = new GradientHealth({ layers: ['fc1'], activations: [], output: 'fc1', optimizer: 'sgd', lr: 0.1 });
    expect(other.check({ epoch: 1, loss: 1, grad: { fc1: 5e3 }, dead: {}, saturated: {} }).flags[0].message).toMatch(/above 1000/);
  });

  it('a loss that jumps is reported, naming the optimizer when it is a line-search method', () => {
    const h = new GradientHealth({ layers: ['fc1'], activations: [], output: 'fc1', optimizer: 'lbfgs', lr: 1 });
    h.check({ epoch: 1, loss: 0.1, grad: { fc1: 1 }, dead: {}, saturated: {} });
    const jump = h.check({ epoch: 2, loss: 0.67, grad: { fc1: 1 }, dead: {}, saturated: {} });
    expect(jump.flags[0]).toMatchObject({ kind: 'spike', node: 'loss', epoch: 2 });
    expect(jump.flags[0].message).toMatch(/from 0\.100 to 0\.670 \(×6\.7\).*lbfgs/);
  });

  it('active conditions are listed every epoch they hold (the chart shades them), flags only once', () => {
    const { s, flags } = train(stack(10, 'Sigmoid'), { loss: 'mse', optimizer: { name: 'sgd', lr: 0.01 }, epochs: 8 });
    expect(flags.filter((f) => f.kind === 'vanishing')).toHaveLength(1);
    const shaded = s.history.filter((p) => p.health?.fc1?.includes('vanishing')).map((p) => p.epoch);
    expect(shaded).toEqual([3, 4, 5, 6, 7, 8]);
  });
});

describe('the numbers behind the flags', () => {
  it('dead and saturated fractions, counted by hand on a forward pass', () => {
    const model = compile(
      {
        format: 'neurograph-model',
        version: 1,
        nodes: [
          { id: 'x', type: 'Input', size: 2 },
          { id: 'r', type: 'ReLU', in: ['x'] },
          { id: 't', type: 'Tanh', in: ['x'] },
          { id: 'both', type: 'Concat', in: ['r', 't'] },
        ],
        outputs: ['both'],
      },
      { dtype: 'float64' },
    );
    // Column 0 is negative in every row (dead after ReLU); tanh slopes 1 − tanh²: 3 of the 6 values beyond |x| ≈ 2.2.
    model.forward(fromRows('float64', [[-1, 0.1], [-2, 5], [-3, -4]]), { train: false, stochastic: false, rng: new Rng(0) });
    expect(activationStats(model, 0.05)).toEqual({ dead: { r: 0.5 }, saturated: { t: 3 / 6 } });
  });

  it('update ratio ‖ΔW‖/‖W‖ per layer', () => {
    const model = compile({ format: 'neurograph-model', version: 1, nodes: [{ id: 'x', type: 'Input', size: 1 }, { id: 'fc', type: 'Linear', in: ['x'], units: 1, bias: false }], outputs: ['fc'], params: { fc: { weight: [[3]] } } }, { dtype: 'float64' });
    const before = Float64Array.from(model.theta);
    model.theta[0] = 3.3;
    expect(updateRatios(model, before).fc).toBeCloseTo(0.1, 12);
  });

  it('every epoch carries the per-layer numbers, evaluations and training time', () => {
    const { s } = train(stack(2, 'ReLU'), { loss: 'mse', optimizer: { name: 'lbfgs' }, epochs: 3 });
    const p = s.history.at(-1)!;
    expect(Object.keys(p.grad_norms!)).toEqual(['fc1', 'fc2', 'out']);
    expect(Object.keys(p.weight_norms!)).toEqual(['fc1', 'fc2', 'out']);
    expect(Object.keys(p.update_ratios!)).toEqual(['fc1', 'fc2', 'out']);
    expect(Object.keys(p.dead!)).toEqual(['a1', 'a2']);
    // L-BFGS evaluates the loss several times a step.
    expect(p.evals!).toBeGreaterThan(3);
    expect(s.history.map((q) => q.t!)).toEqual([...s.history.map((q) => q.t!)].sort((a, b) => a - b));
  });
});
