/**
 * The benchmark workloads, described once and handed to every side: the model JSON and data flags
 * for Neurograph's CLI, and the same network, loss, optimizer, batching and rows (as CSV) for the
 * peers (bench/torch_bench.py, bench/peers/tfjs.mjs, bench/peers/brain.mjs).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinDataset, Rng, type ModelJson } from '../src-engine';

export interface Workload {
  id: 'A' | 'B' | 'C';
  title: string;
  sizes: number[];
  hidden: 'relu' | 'tanh';
  /** Output activation; null for logits (cross_entropy). */
  output: 'sigmoid' | 'tanh' | null;
  loss: 'bce' | 'mse' | 'cross_entropy';
  optimizer: { name: 'adam' | 'sgd'; lr: number };
  epochs: number;
  batch: number;
  rows: number;
  /** Data flags of `neurograph train` (after the model file). */
  cliData: string[];
  /** The rows as CSV with a header, the target last (what the peers read). */
  csv: string;
  /** Peers that run it (brain.js cannot mix activations, batch, or use cross-entropy). */
  peers: Peer[];
  /** Also trained with `--workers 2` (data-parallel shards on two threads). */
  parallel?: boolean;
}

export type Peer = 'torch' | 'tfjs-cpu' | 'tfjs-wasm' | 'brain';

const ACT = { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid' } as const;

/** The model JSON Neurograph trains: Linear layers with the hidden activation between them. */
export function modelJson(w: Pick<Workload, 'sizes' | 'hidden' | 'output' | 'loss' | 'optimizer' | 'epochs' | 'batch'>): ModelJson {
  const nodes: ModelJson['nodes'] = [{ id: 'x', type: 'Input', size: w.sizes[0] }];
  let prev = 'x';
  for (let i = 1; i < w.sizes.length; i++) {
    nodes.push({ id: `fc${i}`, type: 'Linear', in: [prev], units: w.sizes[i] });
    prev = `fc${i}`;
    const act = i < w.sizes.length - 1 ? w.hidden : w.output;
    if (act) {
      nodes.push({ id: `a${i}`, type: ACT[act], in: [prev] });
      prev = `a${i}`;
    }
  }
  return {
    format: 'neurograph-model',
    version: 1,
    nodes,
    outputs: [prev],
    training: { loss: w.loss, optimizer: w.optimizer, epochs: w.epochs, batch_size: w.batch, seed: 1 },
  };
}

function csvOf(header: string[], x: number[][], y: number[]): string {
  const lines = [header.join(',')];
  for (let r = 0; r < x.length; r++) lines.push(`${x[r].join(',')},${y[r]}`);
  return `${lines.join('\n')}\n`;
}

/**
 * B's data: MNIST-shaped but synthetic and deterministic (seed 784), since MNIST is not in the repo.
 * Ten class prototypes, each three Gaussian blobs on a 28×28 grid; a row is its class's prototype
 * shifted by up to ±3 pixels, plus N(0, 0.25²) noise, clipped to [0, 1], three decimals; the class
 * index 0–9 in column `label`. 784 inputs, 10 balanced classes.
 */
export function mnistLike(rows: number): { x: number[][]; y: number[] } {
  const rng = new Rng(784);
  const protos = Array.from({ length: 10 }, () => {
    const blobs = Array.from({ length: 3 }, () => [rng.uniform(5, 23), rng.uniform(5, 23), rng.uniform(2, 5)]);
    return Float64Array.from({ length: 784 }, (_, p) => {
      const r = Math.floor(p / 28);
      const c = p % 28;
      let v = 0;
      for (const [a, b, s] of blobs) v += Math.exp(-((r - a) ** 2 + (c - b) ** 2) / (2 * s * s));
      return Math.min(1, v);
    });
  });
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const k = i % 10;
    const dr = rng.int(7) - 3;
    const dc = rng.int(7) - 3;
    const row = new Array<number>(784);
    for (let p = 0; p < 784; p++) {
      const r = Math.floor(p / 28) - dr;
      const c = (p % 28) - dc;
      const v = r >= 0 && r < 28 && c >= 0 && c < 28 ? protos[k][r * 28 + c] : 0;
      row[p] = Math.round(Math.max(0, Math.min(1, v + rng.normal(0, 0.25))) * 1000) / 1000;
    }
    x.push(row);
    y.push(k);
  }
  return { x, y };
}

/**
 * A, B and C of the issue, their data written into `dir`. `quick` shrinks B (fewer rows, one epoch)
 * so that a whole `npm run bench -- --quick` stays under two minutes.
 */
export function workloads(dir: string, quick: boolean): Workload[] {
  const pima = builtinDataset('pima');
  const pimaCsv = resolve(dir, 'pima.csv');
  writeFileSync(pimaCsv, csvOf([...(pima.inputNames ?? []), 'outcome'], pima.x, pima.y.map((r) => r[0])));

  const circle = builtinDataset('circle', { points: 500 });
  const circleCsv = resolve(dir, 'circle.csv');
  // mse on a Tanh output: the engine encodes the two classes as −1 and +1 (train/targets.ts); so do the peers.
  writeFileSync(circleCsv, csvOf(['x1', 'x2', 'label'], circle.x, circle.y.map((r) => (r[0] > 0 ? 1 : -1))));

  const bRows = quick ? 2048 : 8192;
  const mnist = mnistLike(bRows);
  const mnistCsv = resolve(dir, 'mnist-like.csv');
  writeFileSync(mnistCsv, csvOf([...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'], mnist.x, mnist.y));

  return [
    {
      id: 'A',
      title: 'Pima-shaped MLP 8-12-8-1, ReLU/ReLU/Sigmoid, bce, Adam 1e-3, batch 10, 100 epochs',
      sizes: [8, 12, 8, 1],
      hidden: 'relu',
      output: 'sigmoid',
      loss: 'bce',
      optimizer: { name: 'adam', lr: 0.001 },
      epochs: 100,
      batch: 10,
      rows: pima.x.length,
      cliData: ['--dataset', 'pima'],
      csv: pimaCsv,
      peers: ['torch', 'tfjs-cpu', 'tfjs-wasm'],
    },
    {
      id: 'B',
      title: `784-128-10 ReLU, cross_entropy, Adam 1e-3, batch 64, ${bRows} synthetic MNIST-shaped rows, ${quick ? 1 : 2} epoch${quick ? '' : 's'}`,
      sizes: [784, 128, 10],
      hidden: 'relu',
      output: null,
      loss: 'cross_entropy',
      optimizer: { name: 'adam', lr: 0.001 },
      epochs: quick ? 1 : 2,
      batch: 64,
      rows: bRows,
      cliData: ['--data', mnistCsv, '--target-column', 'label'],
      csv: mnistCsv,
      peers: ['torch', 'tfjs-cpu', 'tfjs-wasm'],
      parallel: true,
    },
    {
      id: 'C',
      title: 'Playground 2-8-8-1 Tanh, mse, SGD 0.03, circle 500 points, batch 10, 50 epochs',
      sizes: [2, 8, 8, 1],
      hidden: 'tanh',
      output: 'tanh',
      loss: 'mse',
      optimizer: { name: 'sgd', lr: 0.03 },
      epochs: 50,
      batch: 10,
      rows: circle.x.length,
      cliData: ['--dataset', 'circle', '--points', '500'],
      csv: circleCsv,
      peers: ['torch', 'tfjs-cpu', 'tfjs-wasm', 'brain'],
    },
  ];
}
