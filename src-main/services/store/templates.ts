/**
 * Starting points for a new project, each ready to train: the lecture's networks, the Playground's
 * default, and networks that show a failure (vanishing, exploding gradients, a linear stack that
 * collapses) next to their cure. tests/integration/store/templates.test.ts trains every one of them.
 */
import type { GraphSpec, NodeSpec } from '../../../src-engine';
import type { ProjectContent } from '../../api';
import { StoreInputError } from './errors';

/** A starting point: the content of a new project. */
export type ProjectTemplate = ProjectContent;

export interface TemplateInfo {
  id: string;
  name: string;
  /** One line for the template list. */
  description: string;
  /** What the template shows, for the notice when a project is created from it. */
  note: string;
}

type Template = TemplateInfo & { build: () => ProjectTemplate };

type Node = { id: string; type: string; [attr: string]: unknown };

/** A chain of nodes, each fed by the one before, laid out left to right. */
function chain(nodes: Node[]): { graph: GraphSpec; layout: ProjectTemplate['layout'] } {
  const specs: NodeSpec[] = nodes.map((n, i) => (i === 0 ? { ...n } : { ...n, in: [nodes[i - 1].id] }));
  const layout = Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 190, y: 120 + (i % 2) * 30 }]));
  return { graph: { nodes: specs, outputs: [nodes.at(-1)!.id] }, layout };
}

/** Input(2) → [Linear(width) → act (→ extra)] × depth → Linear(1) → out. */
function stack(size: number, depth: number, width: number, act: string, out: string | null, extra: (i: number) => Node[] = () => []) {
  const nodes: Node[] = [{ id: 'x', type: 'Input', size }];
  for (let i = 1; i <= depth; i++) nodes.push({ id: `fc${i}`, type: 'Linear', units: width }, ...extra(i), { id: `a${i}`, type: act });
  nodes.push({ id: 'out', type: 'Linear', units: 1 });
  if (out) nodes.push({ id: 'y', type: out });
  return chain(nodes);
}

const TEMPLATES: readonly Template[] = [
  {
    id: 'playground',
    name: 'Playground default',
    description: 'TensorFlow Playground: 2 inputs, hidden layers 4 and 2 (tanh), on the circle set',
    note: 'The Playground\'s default: watch the output over the plane and each neuron\'s picture while it trains.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 2 },
        { id: 'fc1', type: 'Linear', units: 4 },
        { id: 'a1', type: 'Tanh' },
        { id: 'fc2', type: 'Linear', units: 2 },
        { id: 'a2', type: 'Tanh' },
        { id: 'out', type: 'Linear', units: 1 },
        { id: 'y', type: 'Tanh' },
      ]),
      dataset: { kind: 'builtin', name: 'circle' },
      training: { loss: 'mse', optimizer: { name: 'sgd', lr: 0.03 }, epochs: 500, batch_size: 10, seed: 1, init: 'playground', test_split: 0.5 },
    }),
  },
  {
    id: 'xor',
    name: 'XOR 2-4-1',
    description: 'XOR with four tanh hidden units and a sigmoid output (bce, Adam)',
    note: 'XOR is not linearly separable: it needs the hidden layer.',
    build: () => ({
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
      layout: { x: { x: 0, y: 120 }, fc1: { x: 200, y: 120 }, act1: { x: 400, y: 120 }, fc2: { x: 600, y: 120 }, y: { x: 800, y: 120 } },
      dataset: { kind: 'builtin', name: 'xor' },
      training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 500, batch_size: 'full', shuffle: false, seed: 1 },
    }),
  },
  {
    id: 'xor-221',
    name: 'XOR 2-2-1 (the lecture\'s)',
    description: 'The smallest network that solves XOR: two hidden units, with a seed that solves it',
    note: 'Two hidden units are enough for XOR — with seed 4. Try other seeds: many stop at loss 0.347, a local minimum with one point wrong.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 2 },
        { id: 'h', type: 'Linear', units: 2 },
        { id: 'ha', type: 'Tanh' },
        { id: 'o', type: 'Linear', units: 1 },
        { id: 'y', type: 'Sigmoid' },
      ]),
      dataset: { kind: 'builtin', name: 'xor' },
      training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.1 }, epochs: 400, batch_size: 'full', seed: 4, init: 'xavier_uniform' },
    }),
  },
  {
    id: 'single-neuron',
    name: 'Single neuron on XOR (cannot)',
    description: 'One sigmoid neuron: a straight boundary cannot separate XOR',
    note: 'A single neuron draws one straight line: XOR needs two. The loss stays near 0.69 whatever you do — add a hidden layer.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 2 },
        { id: 'o', type: 'Linear', units: 1 },
        { id: 'y', type: 'Sigmoid' },
      ]),
      dataset: { kind: 'builtin', name: 'xor' },
      training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.1 }, epochs: 300, batch_size: 'full', seed: 1 },
    }),
  },
  {
    id: 'pima',
    name: 'Pima MLP 8-12-8-1',
    description: 'The lecture\'s diabetes MLP: ReLU, ReLU, sigmoid; bce, Adam 1e-3, batch 10',
    note: 'The lecture\'s Keras MLP on a Pima-shaped table (synthetic: the real one is not redistributable; import yours as CSV).',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 8 },
        { id: 'fc1', type: 'Linear', units: 12 },
        { id: 'a1', type: 'ReLU' },
        { id: 'fc2', type: 'Linear', units: 8 },
        { id: 'a2', type: 'ReLU' },
        { id: 'out', type: 'Linear', units: 1 },
        { id: 'y', type: 'Sigmoid' },
      ]),
      dataset: { kind: 'builtin', name: 'pima' },
      training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.001 }, epochs: 100, batch_size: 10, seed: 7, validation_split: 0.2 },
    }),
  },
  {
    id: 'digits',
    name: 'Digits classifier 64-32-10',
    description: '8×8 handwritten digits: one ReLU layer, cross-entropy, Adam',
    note: 'Select fc1 after training: its weights, drawn as 8×8 pictures, show the strokes each unit looks for.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 64 },
        { id: 'fc1', type: 'Linear', units: 32 },
        { id: 'a1', type: 'ReLU' },
        { id: 'out', type: 'Linear', units: 10 },
      ]),
      dataset: { kind: 'builtin', name: 'digits' },
      training: { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.003 }, epochs: 30, batch_size: 32, seed: 1, validation_split: 0.2 },
    }),
  },
  {
    id: 'vanishing',
    name: 'Vanishing gradients: deep sigmoid stack',
    description: 'Eight sigmoid layers: the gradient dies before it reaches the first ones',
    note: 'Each sigmoid multiplies the gradient by at most 0.25: watch fc1\'s norm on the gradient chart and the vanishing badge. The cure: "Deep ReLU + BatchNorm".',
    build: () => ({
      ...stack(2, 8, 8, 'Sigmoid', 'Sigmoid'),
      dataset: { kind: 'builtin', name: 'circle' },
      training: { loss: 'bce', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 100, batch_size: 10, seed: 1 },
    }),
  },
  {
    id: 'vanishing-cured',
    name: 'Deep ReLU + BatchNorm (the cure)',
    description: 'The same depth with ReLU, BatchNorm and He initialization: the gradient reaches fc1',
    note: 'Same depth as the sigmoid stack; ReLU passes the gradient unchanged where active, BatchNorm keeps every layer in range.',
    build: () => ({
      ...stack(2, 8, 8, 'ReLU', 'Sigmoid', (i) => [{ id: `bn${i}`, type: 'BatchNorm1d' }]),
      dataset: { kind: 'builtin', name: 'circle' },
      training: { loss: 'bce', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 100, batch_size: 10, seed: 1, init: 'kaiming_uniform' },
    }),
  },
  {
    id: 'exploding',
    name: 'Exploding gradients: large weights, high lr',
    description: 'A ReLU regression net started from large (He-normal) weights on unscaled inputs with a high learning rate',
    note: 'Each step makes the gradient larger: the norms grow 10× and more and the loss blows up by epoch 3 — the run stops as diverged. The cure: "… with clipping".',
    build: () => ({
      ...stack(2, 3, 16, 'ReLU', null),
      dataset: { kind: 'builtin', name: 'reg-plane' },
      training: { loss: 'mse', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 100, batch_size: 'full', seed: 1, init: 'kaiming_normal' },
    }),
  },
  {
    id: 'exploding-clipped',
    name: 'Exploding gradients… with clipping',
    description: 'The same net with the gradient clipped to norm 1: it trains',
    note: 'clip_grad_norm rescales any gradient longer than 1 (the lecture\'s g := g·θ/‖g‖): the same net now converges.',
    build: () => ({
      ...stack(2, 3, 16, 'ReLU', null),
      dataset: { kind: 'builtin', name: 'reg-plane' },
      training: { loss: 'mse', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 200, batch_size: 'full', seed: 1, init: 'kaiming_normal', clip_grad_norm: 1 },
    }),
  },
  {
    id: 'linear-collapse',
    name: 'Linear stack collapses to one layer',
    description: 'Three Linear layers without activations: one straight boundary, whatever the depth',
    note: 'W₃(W₂(W₁x + b₁) + b₂) + b₃ = Wx + b with W = W₃W₂W₁: without a nonlinearity three layers are one (the lecture\'s proof). The boundary stays a straight line; put a Tanh between them and it bends.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 2 },
        { id: 'fc1', type: 'Linear', units: 8 },
        { id: 'fc2', type: 'Linear', units: 8 },
        { id: 'out', type: 'Linear', units: 1 },
        { id: 'y', type: 'Tanh' },
      ]),
      dataset: { kind: 'builtin', name: 'circle' },
      training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 200, batch_size: 10, seed: 1, test_split: 0.5 },
    }),
  },
  {
    id: 'dropout-bn',
    name: 'Dropout + BatchNorm on the spiral',
    description: 'Two wide ReLU layers with BatchNorm and Dropout: a regularised net on the spiral',
    note: 'BatchNorm uses batch statistics while training and running ones in eval; Dropout is off in eval — compare train and test loss.',
    build: () => ({
      ...chain([
        { id: 'x', type: 'Input', size: 2 },
        { id: 'fc1', type: 'Linear', units: 32 },
        { id: 'bn1', type: 'BatchNorm1d' },
        { id: 'a1', type: 'ReLU' },
        { id: 'd1', type: 'Dropout', p: 0.2 },
        { id: 'fc2', type: 'Linear', units: 32 },
        { id: 'bn2', type: 'BatchNorm1d' },
        { id: 'a2', type: 'ReLU' },
        { id: 'out', type: 'Linear', units: 1 },
        { id: 'y', type: 'Tanh' },
      ]),
      dataset: { kind: 'builtin', name: 'spiral' },
      training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 200, batch_size: 10, seed: 1, test_split: 0.3 },
    }),
  },
  {
    id: 'blank',
    name: 'Blank canvas',
    description: 'An empty canvas on the XOR truth table',
    note: 'Drag an Input and some layers from the palette and wire them.',
    build: () => ({
      graph: { nodes: [], outputs: [] },
      layout: {},
      dataset: { kind: 'builtin', name: 'xor' },
      training: { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 100, batch_size: 'full', seed: 1 },
    }),
  },
];

/** The templates the UI lists, in this order. */
export const TEMPLATE_LIST: readonly TemplateInfo[] = TEMPLATES.map(({ build: _b, ...info }) => info);

export function projectTemplate(name = 'blank'): ProjectTemplate {
  const t = TEMPLATES.find((x) => x.id === name);
  if (!t) throw new StoreInputError(`unknown project template '${name}' (known: ${TEMPLATES.map((x) => x.id).join(', ')})`, 'template');
  return t.build();
}
