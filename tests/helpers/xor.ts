/** The one XOR test model: the lecture's 2-h-1 network (Tanh hidden, Sigmoid output) and its truth table. */
import { truthTable, type DataTable, type ModelJson, type TrainingBlock } from '../../src-engine';

/** XOR's four rows (the engine's own truth table), as class data. */
export const XOR: DataTable = { ...truthTable('xor'), task: 'classification' };

export function xorModel(hidden = 4, training?: TrainingBlock): ModelJson {
  return {
    format: 'neurograph-model',
    version: 1,
    nodes: [
      { id: 'x', type: 'Input', size: 2 },
      { id: 'fc1', type: 'Linear', in: ['x'], units: hidden },
      { id: 'a1', type: 'Tanh', in: ['fc1'] },
      { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 },
      { id: 'y', type: 'Sigmoid', in: ['fc2'] },
    ],
    outputs: ['y'],
    ...(training ? { training } : {}),
  };
}

/** A block that solves XOR with the 8-unit model (bce, Adam 0.05, seed 3). */
export function xorTraining(epochs = 1500): TrainingBlock {
  return { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs, batch_size: 'full', seed: 3 };
}
