import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-engine/graph';
import { fromRows, Rng, toRows } from '../../../src-engine/tensor';
import { loadReference, mismatch } from '../../helpers/reference';

interface ActCase {
  type: string;
  attrs: Record<string, unknown>;
  input: number[][];
  upstream: number[][];
  output: number[][];
  grad_input: number[][];
  params?: { weight: number[] };
  grad_params?: { weight: number[] };
}

const { cases } = loadReference<{ cases: ActCase[] }>('activations.json');
const evalMode = () => ({ train: false, stochastic: false, rng: new Rng(0) });

describe('activations.json: the layers with parameters, noise or row-wise maths match PyTorch', () => {
  const picked = cases.filter((k) => ['Softmax', 'LogSoftmax', 'PReLU', 'RReLU'].includes(k.type));
  it('finds those cases', () => expect(picked.map((c) => c.type).sort()).toEqual(['LogSoftmax', 'PReLU', 'RReLU', 'Softmax']));
  for (const c of picked) {
    it(`${c.type} ${JSON.stringify(c.attrs)}: output, dL/dx and dL/dweight`, () => {
      const width = c.input[0].length;
      const node = { id: 'a', type: c.type, in: ['x'], ...c.attrs, ...(c.params ? { num_parameters: c.params.weight.length } : {}) };
      const model = compile(
        { format: 'neurograph-model', version: 1, nodes: [{ id: 'x', type: 'Input', size: width }, node], outputs: ['a'], ...(c.params ? { params: { a: c.params } } : {}) },
        { dtype: 'float64' },
      );
      const y = model.forward(fromRows('float64', c.input), evalMode());
      expect(mismatch(toRows(y), c.output, 1e-10, 1e-9, 'output')).toBeNull();
      model.zeroGrad();
      model.backward(Float64Array.from(c.upstream.flat()), evalMode());
      if (c.grad_params) expect(mismatch(model.gradsJson().a, c.grad_params, 1e-10, 1e-9, 'grad.weight')).toBeNull();
      // dL/dx: the Input keeps no gradient, so call the node's backward with a buffer of our own.
      const n = model.node('a')!;
      const x = { rows: c.input.length, cols: width, data: Float64Array.from(c.input.flat()) };
      const dx = { rows: x.rows, cols: width, data: new Float64Array(x.data.length) };
      n.op.backward([x], n.out, n.dOut, [dx], evalMode());
      expect(mismatch(toRows(dx), c.grad_input, 1e-10, 1e-9, 'grad_input')).toBeNull();
    });
  }
});
