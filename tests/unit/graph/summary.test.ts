import { describe, expect, it } from 'vitest';
import { summarizeGraph } from '../../../src-engine/graph';

describe('summarizeGraph (as print(model), with parameter counts and memory)', () => {
  it('counts the Pima MLP 8-12-8-1 by hand: 8·12+12 + 12·8+8 + 8·1+1 = 221 parameters', () => {
    const s = summarizeGraph({
      nodes: [
        { id: 'x', type: 'Input', size: 8 },
        { id: 'fc1', type: 'Linear', in: ['x'], units: 12 },
        { id: 'a1', type: 'ReLU', in: ['fc1'] },
        { id: 'fc2', type: 'Linear', in: ['a1'], units: 8 },
        { id: 'a2', type: 'LeakyReLU', in: ['fc2'], negative_slope: 0.2 },
        { id: 'out', type: 'Linear', in: ['a2'], units: 1, bias: false },
        { id: 'bn', type: 'BatchNorm1d', in: ['out'] },
      ],
      outputs: ['bn'],
    });
    expect(s.rows.map((r) => [r.id, r.params])).toEqual([['x', 0], ['fc1', 108], ['a1', 0], ['fc2', 104], ['a2', 0], ['out', 8], ['bn', 2]]);
    expect(s.params).toBe(222);
    expect(s.paramBytes).toBe(888);
    expect(s.rows[1].repr).toBe('Linear(in_features=8, out_features=12)');
    expect(s.rows[4].repr).toBe('LeakyReLU(negative_slope=0.2)');
    expect(s.rows[5].repr).toBe('Linear(in_features=8, out_features=1, bias=false)');
    // Activations per sample: 8 + 12 + 12 + 8 + 8 + 1 + 1 = 50 numbers, twice (with their gradients), 4 bytes each.
    expect(s.activationBytesPerSample).toBe(400);
  });

  it('tells a network with a hidden nonlinearity from one that is a single linear map', () => {
    const chain = (types: string[]) => ({
      nodes: types.map((type, i) => ({ id: `n${i}`, type, ...(i ? { in: [`n${i - 1}`] } : { size: 2 }), ...(type === 'Linear' ? { units: 3 } : {}) })),
      outputs: [`n${types.length - 1}`],
    });
    expect(summarizeGraph(chain(['Input', 'Linear', 'Tanh', 'Linear', 'Sigmoid'])).hiddenNonlinear).toBe(true);
    // The single neuron, and the linear stack that collapses to one layer: a sigmoid at the end only.
    expect(summarizeGraph(chain(['Input', 'Linear', 'Sigmoid'])).hiddenNonlinear).toBe(false);
    expect(summarizeGraph(chain(['Input', 'Linear', 'Linear', 'Linear', 'Sigmoid'])).hiddenNonlinear).toBe(false);
    // Dropout between the Linears changes nothing; a ReLU does.
    expect(summarizeGraph(chain(['Input', 'Linear', 'Dropout', 'Linear'])).hiddenNonlinear).toBe(false);
    expect(summarizeGraph(chain(['Input', 'Linear', 'ReLU', 'Dropout', 'Linear'])).hiddenNonlinear).toBe(true);
  });
});

describe('attribute ranges (the inspector shows them; the graph check enforces them)', () => {
  it('refuses a LeakyReLU slope outside [0, 1] and a negative ELU alpha, naming node and field', async () => {
    const { validateGraph } = await import('../../../src-engine/graph');
    const graph = (type: string, attrs: Record<string, number>) => ({
      nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'a', type, in: ['x'], ...attrs }],
      outputs: ['a'],
    });
    expect(validateGraph(graph('LeakyReLU', { negative_slope: 0.2 })).filter((i) => i.severity === 'error')).toEqual([]);
    const slope = validateGraph(graph('LeakyReLU', { negative_slope: 1.5 })).find((i) => i.severity === 'error');
    expect(slope).toMatchObject({ nodeId: 'a', field: 'negative_slope', message: 'a: negative_slope must be ≥ 0 and ≤ 1, got 1.5' });
    const alpha = validateGraph(graph('ELU', { alpha: -1 })).find((i) => i.severity === 'error');
    expect(alpha).toMatchObject({ nodeId: 'a', field: 'alpha', message: 'a: alpha must be ≥ 0, got -1' });
  });
});
