/**
 * Training speed, Neurograph's engine side by side with PyTorch (CPU, one thread), in one run:
 * the same MLP (tanh hidden layers, mse, Adam), data and batching. Writes bench/RESULTS.md.
 * Run: npm run bench   (needs /usr/bin/python3 with torch)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { builtinDataset, TrainingSession, type ModelJson } from '../src-engine';

interface Job {
  name: string;
  sizes: number[];
  data: string;
  points?: number;
  epochs: number;
  batch: number | 'full';
  lr: number;
}

const JOBS: Job[] = [
  { name: 'XOR 2-4-1, full batch', sizes: [2, 4, 1], data: 'xor', epochs: 2000, batch: 'full', lr: 0.05 },
  { name: 'circle 2-8-8-1, batch 10 (Playground default)', sizes: [2, 8, 8, 1], data: 'circle', points: 500, epochs: 50, batch: 10, lr: 0.01 },
  { name: 'spiral 2-16-16-1, full batch', sizes: [2, 16, 16, 1], data: 'spiral', points: 500, epochs: 500, batch: 'full', lr: 0.01 },
  { name: 'regression plane 2-64-64-1, batch 32', sizes: [2, 64, 64, 1], data: 'reg-plane', points: 1200, epochs: 20, batch: 32, lr: 0.003 },
];

function mlp(sizes: number[]): ModelJson {
  const nodes: ModelJson['nodes'] = [{ id: 'x', type: 'Input', size: sizes[0] }];
  let prev = 'x';
  for (let i = 1; i < sizes.length; i++) {
    nodes.push({ id: `fc${i}`, type: 'Linear', in: [prev], units: sizes[i] });
    prev = `fc${i}`;
    if (i < sizes.length - 1) {
      nodes.push({ id: `a${i}`, type: 'Tanh', in: [prev] });
      prev = `a${i}`;
    }
  }
  return { format: 'neurograph-model', version: 1, nodes, outputs: [prev] };
}

const rows: string[] = [];
const torchJobs: { sizes: number[]; x: number[][]; y: number[][]; epochs: number; batch: number; lr: number }[] = [];
const ours: { seconds: number; loss: number }[] = [];
for (const job of JOBS) {
  const ds = builtinDataset(job.data, { points: job.points, seed: 1 });
  const n = ds.x.length;
  const batch = job.batch === 'full' ? n : job.batch;
  torchJobs.push({ sizes: job.sizes, x: ds.x, y: ds.y, epochs: job.epochs, batch, lr: job.lr });
  const best = [1, 2, 3].map(() => {
    const s = new TrainingSession(mlp(job.sizes), { x: ds.x, y: ds.y, task: 'regression' }, { loss: 'mse', optimizer: { name: 'adam', lr: job.lr }, epochs: job.epochs, batch_size: job.batch, seed: 1 });
    const t0 = performance.now();
    s.runAll();
    return { seconds: (performance.now() - t0) / 1000, loss: s.history.at(-1)!.loss };
  });
  ours.push(best.sort((a, b) => a.seconds - b.seconds)[0]);
}
const py = spawnSync('/usr/bin/python3', [resolve(import.meta.dirname, 'torch_bench.py')], { input: JSON.stringify(torchJobs), encoding: 'utf8', maxBuffer: 1 << 26 });
if (py.status !== 0) throw new Error(`PyTorch side failed: ${py.stderr}`);
const torchRes: { seconds: number; final_loss: number }[] = JSON.parse(py.stdout);

rows.push('| workload | steps | Neurograph s | PyTorch s | PyTorch time ÷ Neurograph time |', '|---|---|---|---|---|');
JOBS.forEach((job, i) => {
  const n = torchJobs[i].x.length;
  const steps = job.epochs * Math.ceil(n / torchJobs[i].batch);
  rows.push(`| ${job.name} | ${steps} | ${ours[i].seconds.toFixed(3)} | ${torchRes[i].seconds.toFixed(3)} | ${(torchRes[i].seconds / ours[i].seconds).toFixed(2)}× |`);
});
const text = `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts with bench/torch_bench.py) on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'},
Node ${process.version}, PyTorch from Debian (CPU, one thread), ${new Date().toISOString().slice(0, 10)}.
Same MLP (tanh hidden layers, mse, Adam), data and batch size on both sides; the time is the training
loop only (best of 3 runs on each side).
A ratio above 1 means Neurograph trains faster than PyTorch on that workload.

${rows.join('\n')}
`;
writeFileSync(resolve(import.meta.dirname, 'RESULTS.md'), text);
console.log(text);
