// brain.js side of bench/run.ts: `node bench/peers/brain.mjs job.json`, one job per process.
// brain.js 1.x's NeuralNetwork has one activation for every layer and trains sample by sample (online
// SGD, its only mode: batch 1), so only C fits it: 2-8-8-1 tanh, learning rate 0.03, 50 passes over
// the rows. It refuses momentum 0 and errorThresh 0, so they are 1e-12 (no momentum, no early stop).
// Prints one JSON line {"seconds": train() only, …} last.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const brain = createRequire(import.meta.url)('brain.js');
const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const t = job.targets;
const data = readFileSync(job.csv, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const r = l.split(',').map(Number);
    return { input: r.slice(0, -t), output: r.slice(-t) };
  });
const net = new brain.NeuralNetwork({ hiddenLayers: job.sizes.slice(1, -1), activation: job.hidden });
const t0 = performance.now();
const res = net.train(data, { iterations: job.epochs, learningRate: job.optimizer.lr, momentum: 1e-12, errorThresh: 1e-12, log: false, timeout: Infinity });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, final_loss: res.error, samples: data.length * job.epochs, max_rss_kb: process.resourceUsage().maxRSS })}\n`);
