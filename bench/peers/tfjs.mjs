// TensorFlow.js side of bench/run.ts: `node bench/peers/tfjs.mjs job.json cpu|wasm`, one job per process.
// The same job as bench/torch_bench.py; tf.layers with model.fit (shuffled mini-batches). The wasm
// backend runs single-threaded with SIMD (its threaded build needs cross-origin isolation). Prints one
// JSON line {"seconds": fit() only, "final_loss", "samples", "max_rss_kb"} last.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const backend = process.argv[3] ?? 'cpu';
if (backend === 'wasm') {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  wasm.setThreadsCount?.(1);
}
if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} is not available`);
await tf.ready();

const lines = readFileSync(job.csv, 'utf8').trim().split('\n').slice(1);
const t = job.targets;
const rows = lines.map((l) => l.split(',').map(Number));
const x = tf.tensor2d(rows.map((r) => r.slice(0, -t)));
const y = tf.tensor2d(rows.map((r) => r.slice(-t)));

const model = tf.sequential();
const sizes = job.sizes;
for (let i = 1; i < sizes.length; i++) {
  const last = i === sizes.length - 1;
  // cross_entropy: logits in PyTorch; tf.js's sparse categorical cross-entropy wants probabilities, so softmax them.
  const activation = last ? (job.output ?? (job.loss === 'cross_entropy' ? 'softmax' : 'linear')) : job.hidden;
  model.add(tf.layers.dense({ units: sizes[i], activation, ...(i === 1 ? { inputShape: [sizes[0]] } : {}) }));
}
const optimizer = job.optimizer.name === 'adam' ? tf.train.adam(job.optimizer.lr) : tf.train.sgd(job.optimizer.lr);
const loss = { bce: 'binaryCrossentropy', mse: 'meanSquaredError', cross_entropy: 'sparseCategoricalCrossentropy' }[job.loss];
model.compile({ optimizer, loss });

const t0 = performance.now();
const history = await model.fit(x, y, { batchSize: job.batch, epochs: job.epochs, shuffle: true, verbose: 0 });
const seconds = (performance.now() - t0) / 1000;
const losses = history.history.loss;
process.stdout.write(
  `${JSON.stringify({ seconds, final_loss: losses[losses.length - 1], samples: rows.length * job.epochs, max_rss_kb: process.resourceUsage().maxRSS, backend: tf.getBackend() })}\n`,
);
