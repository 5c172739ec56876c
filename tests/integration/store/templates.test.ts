/**
 * Every template is ready to train, and the ones that show something show it: XOR 2-2-1 solves with its
 * seed, a single neuron cannot, the sigmoid stack vanishes while ReLU + BatchNorm does not, large
 * weights and a high lr explode while clipping trains, a linear stack draws one straight boundary.
 */
import { describe, expect, it } from 'vitest';
import { TrainingSession, type HealthFlag, type ModelJson } from '../../../src-engine';
import { DatasetService } from '../../../src-main/services';
import { projectTemplate, TEMPLATE_LIST } from '../../../src-main/services/store/templates';

const datasets = new DatasetService({ saveDataset: () => { throw new Error('no'); }, listDatasets: () => [], getDataset: () => { throw new Error('no'); } });

function train(id: string, epochs?: number) {
  const t = projectTemplate(id);
  const view = datasets.load(t.dataset);
  const input = t.graph.nodes.find((n) => n.type === 'Input')!;
  const model: ModelJson = { format: 'neurograph-model', version: 1, ...t.graph, nodes: t.graph.nodes.map((n) => (n === input ? { ...n, size: view.x[0].length } : n)) };
  const s = new TrainingSession(model, { x: view.x, y: view.y, task: view.task }, { ...t.training, ...(epochs ? { epochs } : {}) });
  const flags: HealthFlag[] = [];
  let diverged: string | undefined;
  s.runAll((r) => {
    flags.push(...r.flags);
    diverged ??= r.diverged;
  });
  return { s, flags, diverged, last: s.history.at(-1)! };
}

describe('project templates', () => {
  it('every template builds, validates and trains a few epochs', () => {
    for (const { id } of TEMPLATE_LIST.filter((t) => t.id !== 'blank')) {
      const { s } = train(id, 3);
      expect(s.epoch, id).toBeGreaterThan(0);
    }
    expect(projectTemplate('blank').graph.nodes).toEqual([]);
  });

  it('XOR 2-2-1 solves XOR with its seed; a single neuron cannot', () => {
    expect(train('xor-221').last.loss).toBeLessThan(0.05);
    const one = train('single-neuron').last;
    expect(one.loss).toBeGreaterThan(0.5);
    expect(one.accuracy).toBeLessThanOrEqual(0.75);
  });

  it('the deep sigmoid stack raises vanishing on fc1; the ReLU + BatchNorm stack of the same depth does not', () => {
    expect(train('vanishing', 10).flags.find((f) => f.kind === 'vanishing')?.node).toBe('fc1');
    expect(train('vanishing-cured', 10).flags.filter((f) => f.kind === 'vanishing')).toEqual([]);
  });

  it('large weights with a high lr explode (and diverge); the same net with clipping trains', () => {
    const wild = train('exploding');
    expect(wild.flags.some((f) => f.kind === 'exploding')).toBe(true);
    expect(wild.diverged).toMatch(/^diverged at epoch/);
    const clipped = train('exploding-clipped');
    expect(clipped.diverged).toBeUndefined();
    expect(clipped.last.loss).toBeLessThan(clipped.s.history[0].loss);
  });

  it('a linear stack separates the circle no better than one straight line', () => {
    expect(train('linear-collapse').last.accuracy).toBeLessThan(0.75);
    expect(train('playground').last.accuracy).toBeGreaterThan(0.9);
  });
});
