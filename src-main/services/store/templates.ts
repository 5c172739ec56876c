/** Starting points for a new project. */
import type { ProjectContent } from '../../api';
import { StoreInputError } from './errors';

/** A starting point: the content of a new project. */
export type ProjectTemplate = ProjectContent;

/** XOR, the lecture's first network: Input(2) → Linear(4) → Tanh → Linear(1) → Sigmoid, trained with bce. */
function xorTemplate(): ProjectTemplate {
  return {
    graph: {
      nodes: [
        { id: 'x', type: 'Input', size: 2 },
        { id: 'fc1', type: 'Linear', in: ['x'], units: 4, bias: true },
        { id: 'act1', type: 'Tanh', in: ['fc1'] },
        { id: 'fc2', type: 'Linear', in: ['act1'], units: 1, bias: true },
        { id: 'y', type: 'Sigmoid', in: ['fc2'] },
      ],
      outputs: ['y'],
    },
    layout: {
      x: { x: 0, y: 120 },
      fc1: { x: 200, y: 120 },
      act1: { x: 400, y: 120 },
      fc2: { x: 600, y: 120 },
      y: { x: 800, y: 120 },
    },
    dataset: { kind: 'builtin', name: 'xor' },
    training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 500, batch_size: 'full', shuffle: false, seed: 1 },
  };
}

/** An empty canvas on the XOR truth table. */
function blankTemplate(): ProjectTemplate {
  return {
    graph: { nodes: [], outputs: [] },
    layout: {},
    dataset: { kind: 'builtin', name: 'xor' },
    training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 100, batch_size: 'full', seed: 1 },
  };
}

export const TEMPLATES: Readonly<Record<string, () => ProjectTemplate>> = { xor: xorTemplate, blank: blankTemplate };

export function projectTemplate(name = 'blank'): ProjectTemplate {
  if (!Object.prototype.hasOwnProperty.call(TEMPLATES, name)) {
    throw new StoreInputError(`unknown project template '${name}' (known: ${Object.keys(TEMPLATES).join(', ')})`, 'template');
  }
  return TEMPLATES[name]();
}
