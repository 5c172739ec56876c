import { describe, expect, it } from 'vitest';
import { explain } from '../../../src-engine/train';
import type { ModelJson } from '../../../src-engine/graph/types';
import { loadReference, mismatch } from '../../helpers/reference';

interface NetworkCase {
  model: ModelJson;
  loss: string;
  train_mode: boolean;
  input: number[][];
  target: number[][];
  output: number[][];
  loss_value: number;
  activations: Record<string, number[][]>;
  grads: Record<string, Record<string, number[] | number[][]>>;
  state_after: Record<string, Record<string, number[] | number>>;
}

const { cases } = loadReference<{ cases: NetworkCase[] }>('networks.json');
const label = (c: NetworkCase) => `${c.model.nodes.map((n) => n.type).join('→')} / ${c.loss}${c.train_mode ? ' (train)' : ''}`;

describe('networks.json: forward, loss, every gradient and BatchNorm state match PyTorch', () => {
  it('has cases to check', () => expect(cases.length).toBeGreaterThan(10));
  for (const dtype of ['float32', 'float64'] as const) {
    // float32 storage: |Δ| ≤ 1e-4 + 1e-3·|b| (the README's bound for PyTorch itself in float32); float64: 1e-9.
    const [atol, rtol] = dtype === 'float32' ? [1e-4, 1e-3] : [1e-9, 1e-7];
    for (const c of cases) {
      it(`${label(c)} in ${dtype}`, () => {
        const e = explain(c.model, c.input, c.target, c.loss, c.train_mode ? 'train' : 'eval', dtype);
        expect(mismatch(e.output, c.output, atol, rtol, 'output')).toBeNull();
        expect(mismatch(e.loss, c.loss_value, atol, rtol, 'loss')).toBeNull();
        expect(mismatch(e.activations, c.activations, atol, rtol, 'activations')).toBeNull();
        expect(mismatch(e.grads, c.grads, atol, rtol, 'grads')).toBeNull();
        expect(Object.keys(e.grads).sort()).toEqual(Object.keys(c.grads).sort());
        expect(mismatch(e.state, c.state_after, atol, rtol, 'state')).toBeNull();
      });
    }
  }
});
