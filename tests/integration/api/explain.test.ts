import { describe, expect, it } from 'vitest';
import type { DatasetView, ModelExplanation, Project, Reply, Run, RunSummary } from '../../../src-main/api/contract';
import { createApi } from '../../../src-main/api/handlers';
import type { DatasetCatalog, LibraryStore } from '../../../src-main/api/deps';
import { createMethods } from '../../../src-main/api/methods';
import { NotFoundError } from '../../../src-main/services/store/errors';
import type { GraphSpec, TrainingBlock } from '../../../src-engine/graph/types';

// A 2-2-1 network with sigmoids, as in lecture 04's hand-worked example (x = [0.35, 0.9], target 0.5).
const graph: GraphSpec = {
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'h', type: 'Linear', in: ['x'], units: 2, bias: true },
    { id: 'ha', type: 'Sigmoid', in: ['h'] },
    { id: 'o', type: 'Linear', in: ['ha'], units: 1, bias: true },
    { id: 'oa', type: 'Sigmoid', in: ['o'] },
  ],
  outputs: ['oa'],
};
const W1 = [[0.1, 0.8], [0.4, 0.6]];
const B1 = [0.05, -0.1];
const W2 = [[0.3, 0.9]];
const B2 = [0.2];
const training: TrainingBlock = { loss: 'mse', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, batch_size: 'full', seed: 7 };
const data: DatasetView = { name: 'hand', task: 'regression', inputNames: ['x1', 'x2'], outputNames: ['t'], x: [[1, 1], [0.35, 0.9]], y: [[0], [0.5]] };

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Forward and backward by hand for one sample: L = (a2 − t)² (mse over one element). */
function byHand(x: number[], t: number, w1: number[][], b1: number[], w2: number[][], b2: number[]) {
  const z1 = w1.map((row, j) => row[0] * x[0] + row[1] * x[1] + b1[j]);
  const a1 = z1.map(sig);
  const z2 = w2[0][0] * a1[0] + w2[0][1] * a1[1] + b2[0];
  const a2 = sig(z2);
  const loss = (a2 - t) ** 2;
  const dA2 = 2 * (a2 - t);
  const d2 = dA2 * a2 * (1 - a2); // δ of the output Linear: ∂L/∂z2
  const dA1 = [w2[0][0] * d2, w2[0][1] * d2];
  const d1 = dA1.map((g, j) => g * a1[j] * (1 - a1[j])); // δ of the hidden Linear: ∂L/∂z1
  return {
    z1, a1, z2, a2, loss, dA2, d2, dA1, d1,
    gW2: [[d2 * a1[0], d2 * a1[1]]], gB2: [d2],
    gW1: d1.map((d) => [d * x[0], d * x[1]]), gB1: d1,
  };
}

function fixture(withRun: boolean) {
  const project: Project = {
    id: 'p1', name: 'hand', createdAt: '', updatedAt: '', revision: 1, graph, layout: {}, dataset: { kind: 'builtin', name: 'hand' }, training, modelRunId: null,
  };
  const summary: RunSummary = {
    id: 'r1', projectId: 'p1', status: 'completed', reason: null, optimizer: 'sgd', startedAt: '', finishedAt: '', epochs: 1, finalLoss: null, finalAccuracy: null, groupId: null, training,
  };
  const run: Run = {
    ...summary, training, graph, history: [], flags: [],
    model: { format: 'neurograph-model', version: 1, ...graph, training, params: { h: { weight: W1, bias: B1 }, o: { weight: W2, bias: B2 } } },
  };
  const store = {
    getProject: (id: string) => { if (id !== 'p1') throw new NotFoundError('project', id); return project; },
    listRuns: () => (withRun ? [summary] : []),
    getRun: (id: string) => { if (!withRun || id !== 'r1') throw new NotFoundError('run', id); return run; },
  } as unknown as LibraryStore;
  const datasets = { load: () => data } as unknown as DatasetCatalog;
  const methods = createMethods({ templates: [], store, datasets, host: { start: () => {}, stop: () => false, pause: () => false, resume: () => false, step: () => false, setLearningRate: () => false, threads: 1 }, info: () => ({ version: '0', libraryPath: '', readOnly: false, warning: null }) });
  return createApi({ methods, subscribe: () => () => {} });
}

async function explainReply(withRun: boolean, input: unknown): Promise<Reply<ModelExplanation>> {
  return (await fixture(withRun).handle('models.explain', input)) as Reply<ModelExplanation>;
}

function expectClose(actual: number[] | number[][], expected: number[] | number[][]): void {
  const a = (actual as number[]).flat(), e = (expected as number[]).flat();
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i], 12));
}

describe('models.explain', () => {
  it('returns z, a, δ = ∂L/∂z and ∂L/∂w of the trained weights, equal to a hand computation', async () => {
    const reply = await explainReply(true, { projectId: 'p1', row: 1 });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const e = reply.data;
    const h = byHand([0.35, 0.9], 0.5, W1, B1, W2, B2);
    expect(e).toMatchObject({ row: 1, runId: 'r1', input: [0.35, 0.9], target: [0.5], lossName: 'mse', untrained: false });
    expect(e.loss).toBeCloseTo(h.loss, 12);
    expectClose(e.output, [h.a2]);
    expectClose(e.activations.h, h.z1);
    expectClose(e.activations.ha, h.a1);
    expectClose(e.activations.o, [h.z2]);
    expectClose(e.activations.oa, [h.a2]);
    expectClose(e.deltas.oa, [h.dA2]);
    expectClose(e.deltas.o, [h.d2]);
    expectClose(e.deltas.ha, h.dA1);
    expectClose(e.deltas.h, h.d1);
    expectClose(e.grads.o.weight, h.gW2);
    expectClose(e.grads.o.bias, h.gB2);
    expectClose(e.grads.h.weight, h.gW1);
    expectClose(e.grads.h.bias, h.gB1);
    expect(e.params.h.weight).toEqual(W1);
  });

  it('without a trained run explains the seeded initial weights and says so', async () => {
    const reply = await explainReply(false, { projectId: 'p1', row: 0 });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const e = reply.data;
    expect(e.untrained).toBe(true);
    expect(e.runId).toBeNull();
    const w1 = e.params.h.weight as number[][];
    // PyTorch's default Linear init: U(−1/√fan_in, 1/√fan_in), so not all zero and bounded by 1/√2.
    expect(w1.flat().some((v) => v !== 0)).toBe(true);
    for (const v of w1.flat()) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(2));
    const h = byHand([1, 1], 0, w1, e.params.h.bias as number[], e.params.o.weight as number[][], e.params.o.bias as number[]);
    expect(e.loss).toBeCloseTo(h.loss, 12);
    expectClose(e.deltas.h, h.d1);
    expectClose(e.grads.h.weight, h.gW1);
  });

  it('refuses a row outside the data set, a negative row and an unknown project or run with paths', async () => {
    expect(await explainReply(true, { projectId: 'p1', row: 2 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'row' } });
    expect(await explainReply(true, { projectId: 'p1', row: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'row' } });
    expect(await explainReply(true, { projectId: 'p1', row: 0.5 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'row' } });
    expect(await explainReply(true, { projectId: 'p1', row: 0, mode: 'test' })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'mode' } });
    expect(await explainReply(true, { projectId: 'nope', row: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await explainReply(true, { projectId: 'p1', runId: 'r9', row: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
