import { describe, expect, it } from 'vitest';
import { GraphState } from '../../../../src-renderer/src/state/graph.svelte';

/** The lecture's XOR 2-2-1 as the canvas holds it. */
function xorGraph(): GraphState {
  const g = new GraphState();
  g.load(
    {
      nodes: [
        { id: 'x', type: 'Input', size: 2 },
        { id: 'fc1', type: 'Linear', units: 2, in: ['x'] },
        { id: 'a1', type: 'Sigmoid', in: ['fc1'] },
        { id: 'fc2', type: 'Linear', units: 1, in: ['a1'] },
        { id: 'y', type: 'Sigmoid', in: ['fc2'] },
      ],
      outputs: ['y'],
    },
    {},
  );
  return g;
}

describe("the canvas's network (GraphState.spec)", () => {
  it('stays the same object while nodes move or are selected, so nothing built on it is recomputed during a drag', () => {
    const g = xorGraph();
    const spec = g.spec;
    const x = g.layout().fc1.x;
    g.nodes = g.nodes.map((n) => (n.id === 'fc1' ? { ...n, position: { x: n.position.x + 40, y: 17 } } : n));
    g.select('a1');
    expect(g.spec).toBe(spec);
    expect(g.layout().fc1).toEqual({ x: x + 40, y: 17 });
  });

  it('changes with a layer setting, an edge or the input width, in edge order', () => {
    const g = xorGraph();
    const spec = g.spec;
    g.setAttr('fc1', 'units', 3);
    expect(g.spec).not.toBe(spec);
    expect(g.spec.nodes.find((n) => n.id === 'fc1')).toMatchObject({ units: 3, in: ['x'] });
    expect(g.widths.fc1).toBe(3);
    g.add('Add', { x: 0, y: 0 });
    const add = g.nodes.at(-1)!.id;
    g.connect('a1', add);
    g.connect('fc1', add);
    expect(g.spec.nodes.find((n) => n.id === add)?.in).toEqual(['a1', 'fc1']);
    g.inputWidth = 5;
    expect(g.spec.nodes[0]).toMatchObject({ id: 'x', size: 5 });
  });
});
