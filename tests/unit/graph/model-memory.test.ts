/**
 * The float32 memory plan (graph/model.ts, compile.ts): θ, gradients and activations in one WebAssembly
 * arena, views that follow the arena when a larger batch grows it or an optimizer inserts its state,
 * and results that agree with the TypeScript path and with float64.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-engine/graph';
import type { ModelJson } from '../../../src-engine/graph/types';
import { Arena, fromRows, Rng, setWasmKernels, toRows } from '../../../src-engine/tensor';
import { explain, TrainingSession } from '../../../src-engine/train';
import { builtinDataset } from '../../../src-engine/data';

const mode = { train: true, stochastic: false, rng: new Rng(0) };

function mlp(sizes: number[], act = 'Tanh'): ModelJson {
  const nodes: ModelJson['nodes'] = [{ id: 'x', type: 'Input', size: sizes[0] }];
  let prev = 'x';
  sizes.slice(1).forEach((units, i) => {
    nodes.push({ id: `fc${i}`, type: 'Linear', in: [prev], units });
    prev = `fc${i}`;
    if (i < sizes.length - 2) {
      nodes.push({ id: `a${i}`, type: act, in: [prev] });
      prev = `a${i}`;
    }
  });
  return { format: 'neurograph-model', version: 1, nodes, outputs: [prev] };
}

function rows(n: number, width: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => rng.uniform(-1, 1)));
}

/** Compiled with the kernels off: ordinary arrays and the TypeScript products. */
function withoutWasm<T>(f: () => T): T {
  setWasmKernels(false);
  try {
    return f();
  } finally {
    setWasmKernels(true);
  }
}

const relDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / (1e-6 + Math.abs(b[i]))));

describe('float32 models in a WebAssembly arena', () => {
  const spec = mlp([6, 40, 9, 3]);

  it('keep θ, gradients and every activation in one arena; float64 models use plain arrays', () => {
    const m = compile(spec, { seed: 1 });
    expect(m.wasm).toBe(true);
    const arena = Arena.holding(m.theta);
    expect(arena).not.toBeNull();
    m.forward(fromRows('float32', rows(3, 6, 1)), mode);
    for (const n of m.nodes) expect(Arena.holding(n.out.data)).toBe(arena);
    expect(Arena.holding(m.grad)).toBe(arena);
    expect(compile(spec, { seed: 1, dtype: 'float64' }).wasm).toBe(false);
  });

  it('keep their weights and layer views when a larger batch grows the arena', () => {
    const m = compile(spec, { seed: 2 });
    const small = fromRows('float32', rows(2, 6, 2));
    const before = toRows(m.forward(small, mode));
    const theta = Array.from(m.theta);
    m.forward(fromRows('float32', rows(20_000, 6, 3)), mode); // 20 000 × 58 activations: the memory grows
    expect(Array.from(m.theta)).toEqual(theta);
    expect(toRows(m.forward(small, mode))).toEqual(before);
    // The ops' parameter views moved with θ: a change to θ shows in the output.
    m.theta[m.params.find((p) => p.node === 'fc2' && p.name === 'bias')!.offset] += 1;
    expect(m.forward(small, mode).data[0]).toBeCloseTo(before[0][0] + 1, 5);
  });

  it('give the same outputs and gradients as the TypeScript path and as float64 (within float32 rounding)', () => {
    const x = rows(7, 6, 4);
    const y = rows(7, 3, 5);
    const source = { ...spec, params: compile(spec, { seed: 3 }).paramsJson() };
    const wasm = explain(source, x, y, 'mse', 'train', 'float32');
    const ts = withoutWasm(() => explain(source, x, y, 'mse', 'train', 'float32'));
    const f64 = explain(source, x, y, 'mse', 'train', 'float64');
    for (const other of [ts, f64]) {
      expect(relDiff(wasm.output.flat(), other.output.flat())).toBeLessThan(1e-5);
      for (const node of ['fc0', 'fc1', 'fc2']) {
        const g = (e: typeof wasm) => [...(e.grads[node].weight as number[][]).flat(), ...(e.grads[node].bias as number[])];
        expect(Math.max(...g(wasm).map((v, i) => Math.abs(v - g(other)[i])))).toBeLessThan(1e-5 * Math.max(...g(other).map(Math.abs)));
      }
    }
  });

  it('Maxout runs its pieces through the arena and matches float64', () => {
    const maxout: ModelJson = {
      format: 'neurograph-model',
      version: 1,
      nodes: [
        { id: 'x', type: 'Input', size: 5 },
        { id: 'mx', type: 'Maxout', in: ['x'], units: 6, pieces: 3 },
        { id: 'out', type: 'Linear', in: ['mx'], units: 2 },
      ],
      outputs: ['out'],
    };
    const source = { ...maxout, params: compile(maxout, { seed: 4 }).paramsJson() };
    const x = rows(9, 5, 6);
    const y = rows(9, 2, 7);
    const a = explain(source, x, y, 'mse', 'train', 'float32');
    const b = explain(source, x, y, 'mse', 'train', 'float64');
    expect(relDiff(a.output.flat(), b.output.flat())).toBeLessThan(1e-5);
    const g = (e: typeof a) => (e.grads.mx.weight as number[][]).flat();
    expect(Math.max(...g(a).map((v, i) => Math.abs(v - g(b)[i])))).toBeLessThan(1e-5);
  });

  it('train with mini-batches, evaluation passes and Adam state in the arena to the losses of the TypeScript path', () => {
    const ds = builtinDataset('circle', { points: 200 });
    const model = mlp([2, 16, 16, 1]);
    const block = { loss: 'bce_logits', optimizer: { name: 'adam', lr: 0.01 }, epochs: 8, batch_size: 16, seed: 3 } as const;
    const run = () => {
      const s = new TrainingSession(model, { x: ds.x, y: ds.y, task: 'classification' }, block);
      s.runAll();
      return { wasm: s.model.wasm, losses: s.history.map((p) => p.loss) };
    };
    const a = run();
    const b = withoutWasm(run);
    expect([a.wasm, b.wasm]).toEqual([true, false]);
    expect(relDiff(a.losses, b.losses)).toBeLessThan(1e-4);
    expect(a.losses.at(-1)!).toBeLessThan(0.5 * a.losses[0]);
  });

  it("keep training when Adam's moments arrive in an arena that must grow for them (a wide layer, activations planned)", () => {
    const wide = mlp([64, 256, 4], 'ReLU');
    const x = rows(600, 64, 8);
    const y = x.map((r) => [r[0] > 0 ? 1 : 0, r[1] > 0 ? 1 : 0, r[2] > r[3] ? 1 : 0, r[4] * r[5] > 0 ? 1 : 0]);
    const block = { loss: 'bce_logits', optimizer: { name: 'adam', lr: 0.003 }, epochs: 3, batch_size: 50, seed: 5 } as const;
    const run = () => {
      const s = new TrainingSession(wide, { x, y, task: 'regression' }, block);
      const memory = Arena.holding(s.model.theta)?.memory;
      const before = memory?.buffer;
      s.runAll();
      return { grew: memory ? memory.buffer !== before : null, losses: s.history.map((p) => p.loss) };
    };
    const a = run();
    const b = withoutWasm(run);
    expect(a.grew).toBe(true);
    expect(a.losses.every(Number.isFinite)).toBe(true);
    expect(relDiff(a.losses, b.losses)).toBeLessThan(1e-4);
  });
});
