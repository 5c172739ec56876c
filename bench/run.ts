/**
 * `npm run bench [-- --quick]`: Neurograph against PyTorch (Debian's BLAS and OpenBLAS, one thread),
 * TensorFlow.js (cpu and wasm backends) and brain.js, in one run, on workloads A, B and C of
 * bench/workloads.ts and a 512² float32 GEMM; writes bench/RESULTS.md.
 * `npm run bench -- --soak SECONDS [--workers N]` instead trains B for that long in the trainer
 * process and writes only RESULTS.md's memory section (bench/soak.ts).
 *
 * Every run is a fresh process, timed the way a user meets it: Neurograph is `node bin/neurograph.mjs
 * train model.json … --json` (its `seconds` is the training loop; the wall time is the whole command,
 * start-up and data loading included), the peers are their own scripts doing the same training.
 * Medians of 3 (`--quick`: one run each, and a smaller B). Not part of `npm test`. Sections of
 * RESULTS.md between `<!-- name:start -->` and `<!-- name:end -->` (bench/ui.ts, bench/compare.ts,
 * the soak) are written by their own commands and kept when this one rewrites the file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RESULTS, withoutSections, writeResults } from './results';
import { soak } from './soak';
import { modelJson, workloads, type Peer, type Workload } from './workloads';

const soakAt = process.argv.indexOf('--soak');
if (soakAt >= 0) {
  const seconds = Number(process.argv[soakAt + 1] ?? 600);
  const workersAt = process.argv.indexOf('--workers');
  const section = await soak(seconds, workersAt >= 0 ? Number(process.argv[workersAt + 1]) : 1);
  // The report as it stands; writeResults keeps its marked sections, the soak's replaced.
  writeResults(existsSync(RESULTS) ? withoutSections(readFileSync(RESULTS, 'utf8')) : '# Benchmarks\n', section);
  process.stdout.write(`${section}\n`);
  process.exit(0);
}

/** What the data-parallel section says about how it works. */
const DATA_PARALLEL_NOTE = `\`--workers 2\` (the training block's \`workers\`): each batch of 64 is cut into two fixed shards of 32
rows; the CLI's thread computes shard 0, a worker thread shard 1, at the same weights; the gradients are summed in shard
order (g = ½g₀ + ½g₁, in double, rounded once) and Adam steps once. Same seed and worker count, same weights, bit for bit
(tests/unit/train/parallel.test.ts, tests/integration/trainer/shards.test.ts); against one worker the numbers differ in
the last bits only (the rows' sums are associated differently), and Dropout masks are drawn per shard. The end-of-epoch
accuracy pass is split the same way (its hit counts add up exactly). The helper thread starts while the CSV is read, so
its start-up is not in "training s"; its JIT warm-up is. \`workers: "auto"\` picks 2 for steps this size (batch rows ×
parameters ≥ 2²²), 1 for A and C and for any graph with BatchNorm1d (its batch statistics need the whole batch).`;

/** What RESULTS.md says about the method, below the numbers. */
const NOTES = `## Notes

- Data. A: the engine's synthetic Pima-shaped table (\`--dataset pima\`; the real table is not redistributable), 768 rows,
  exported to CSV for the peers. C: the Playground circle, 500 points, classes as −1/+1 for the Tanh output and mse (as the
  engine encodes them). B: MNIST-shaped synthetic rows from bench/workloads.ts \`mnistLike\` (seed 784): ten class
  prototypes of three Gaussian blobs on a 28×28 grid, each row its class's prototype shifted by up to ±3 pixels plus
  N(0, 0.25²) noise, clipped to [0, 1]; 784 inputs, label 0–9 (MNIST itself is not in the repository).
- Same work, not the same numbers: each side initialises its own weights and shuffles with its own generator, so final
  losses differ; the work per epoch (rows, batch size, steps, layer sizes) is the same. brain.js trains one row at a
  time (its only mode: 10× as many updates as the others on C) with one activation for every layer, so it runs C only.
  TF.js trains through \`model.fit\`; for B its output layer is a softmax with sparse categorical cross-entropy (the same
  loss as cross-entropy on logits).
- Neurograph's \`seconds\` also pays, every epoch, for what the app shows: the accuracy of the epoch's final weights over
  every training row (a forward pass in eval mode, 1024 rows at a time; with \`--workers 2\` split between the threads),
  per-layer gradient norms (measured in the pass gradient clipping makes anyway), weight norms, update ratios and
  dead/saturated units; the peers' loops do none of it. On B the accuracy pass is a quarter of a single-thread epoch.
- Why B is not faster on one thread: a step is 26 MFLOP of products of the 784×128 layer (x·Wᵀ and dyᵀ·x; the input needs
  no gradient). The WebAssembly SIMD128 kernel does 4 float32 lanes per instruction with a separate multiply and add (no
  FMA in SIMD128; relaxed-simd is not in Node 20): ~32 GFLOP/s here, ~0.8 ms a step, where OpenBLAS's AVX-512 FMA kernels
  (~90 GFLOP/s) take ~0.3 ms of PyTorch's ~1.1 ms step. Two workers halve the products of a step; what stays on one
  thread is Adam over the 101,770 weights (~0.2 ms), the shard reduction and the hand-over. The two cores are shared with
  other work on this machine: when it is busy the second thread gains little (see the load average above).
- CSV: the CLI reads B's 29 MB CSV with papaparse, then reads the numbers with a character scan for plain numbers
  (data/cells.ts \`plainNumber\`, the regular expressions only for the rest) — ~2 s of its "command s".
- The float64 path (float64 models, or no WebAssembly SIMD) is the TypeScript kernels with double-precision sums: ~1.5
  GFLOP/s.
`;

const quick = process.argv.includes('--quick');
const REPS = quick ? 1 : 3;
const root = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';
/** GNU time reports the peak RSS of a command and its children; without it RSS comes from the peers themselves. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Run {
  seconds: number;
  wall: number;
  loss: number;
  samples: number;
  rssKb: number | null;
}

interface System {
  id: string;
  label: string;
  peer: Peer | 'neurograph';
  /** Only for workloads that ask for it (B: `--workers 2`). */
  parallel?: boolean;
  run(w: Workload, job: string): Run;
}

/** Neurograph's CLI on a workload, with extra flags. */
function neurograph(w: Workload, extra: string[] = []): Run {
  const file = join(dir, `${w.id}.model.json`);
  const { out, wall, rssKb } = spawnTimed(process.execPath, ['bin/neurograph.mjs', 'train', file, ...w.cliData, ...extra, '--out', join(dir, `${w.id}.trained.json`), '--json']);
  return { seconds: out.seconds, wall, loss: out.final_loss, samples: w.rows * w.epochs, rssKb };
}

function spawnTimed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { out: Record<string, number>; wall: number; rssKb: number | null } {
  const t0 = performance.now();
  const r = spawnSync(TIME ?? cmd, TIME ? ['-f', 'BENCH_RSS_KB=%M', cmd, ...args] : args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${(r.stderr ?? '').slice(-1500)}`);
  const rss = /BENCH_RSS_KB=(\d+)/.exec(r.stderr ?? '')?.[1];
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  return { out, wall, rssKb: rss ? Number(rss) : (out.max_rss_kb ?? null) };
}

const peerRun = (cmd: string, args: (job: string) => string[], env?: NodeJS.ProcessEnv) => (_w: Workload, job: string): Run => {
  const { out, wall, rssKb } = spawnTimed(cmd, args(job), env);
  return { seconds: out.seconds, wall, loss: out.final_loss, samples: out.samples, rssKb };
};

/** One thread for BLAS and OpenMP on the PyTorch side (torch.set_num_threads does not reach OpenBLAS's own pool). */
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
/** OpenBLAS's pthread build first on the library path; its core-type and cache overrides unset, for this command only. */
const openblasEnv = (() => {
  const env: NodeJS.ProcessEnv = { ...oneThread, LD_LIBRARY_PATH: [OPENBLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
})();

const torchScript = resolve(root, 'bench/torch_bench.py');
const SYSTEMS: System[] = [
  { id: 'neurograph', label: 'Neurograph (CLI, float32)', peer: 'neurograph', run: (w) => neurograph(w) },
  { id: 'neurograph-2', label: 'Neurograph (CLI, float32, `--workers 2`)', peer: 'neurograph', parallel: true, run: (w) => neurograph(w, ['--workers', '2']) },
  { id: 'torch', label: 'PyTorch 1.13, Debian BLAS', peer: 'torch', run: peerRun(PYTHON, (j) => [torchScript, j], oneThread) },
  { id: 'torch-openblas', label: 'PyTorch 1.13, OpenBLAS pthread', peer: 'torch', run: peerRun(PYTHON, (j) => [torchScript, j], openblasEnv) },
  { id: 'tfjs-cpu', label: 'TensorFlow.js 4.22, cpu', peer: 'tfjs-cpu', run: peerRun(process.execPath, (j) => ['bench/peers/tfjs.mjs', j, 'cpu']) },
  { id: 'tfjs-wasm', label: 'TensorFlow.js 4.22, wasm (SIMD)', peer: 'tfjs-wasm', run: peerRun(process.execPath, (j) => ['bench/peers/tfjs.mjs', j, 'wasm']) },
  { id: 'brain', label: 'brain.js 1.6.1 (batch 1)', peer: 'brain', run: peerRun(process.execPath, (j) => ['bench/peers/brain.mjs', j]) },
];

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');

const dir = mkdtempSync(join(tmpdir(), 'neurograph-bench-'));
const loadBefore = load();
const started = performance.now();
const hasOpenblas = existsSync(OPENBLAS_DIR);
if (!hasOpenblas) process.stderr.write(`${OPENBLAS_DIR} is missing (apt-get install -y libopenblas0-pthread): the OpenBLAS column is skipped\n`);

interface Row {
  system: System;
  runs: Run[];
  error?: string;
}
const results = new Map<string, Row[]>();

try {
  const list = workloads(dir, quick);
  for (const w of list) {
    writeFileSync(join(dir, `${w.id}.model.json`), JSON.stringify(modelJson(w)));
    const job = join(dir, `${w.id}.job.json`);
    writeFileSync(job, JSON.stringify({ kind: 'mlp', sizes: w.sizes, hidden: w.hidden, output: w.output, loss: w.loss, optimizer: w.optimizer, epochs: w.epochs, batch: w.batch, csv: w.csv, targets: 1 }));
    const rows: Row[] = [];
    for (const system of SYSTEMS) {
      if (system.peer !== 'neurograph' && !w.peers.includes(system.peer)) continue;
      if (system.parallel && !w.parallel) continue;
      if (system.id === 'torch-openblas' && !hasOpenblas) continue;
      const row: Row = { system, runs: [] };
      try {
        for (let i = 0; i < REPS; i++) row.runs.push(system.run(w, job));
      } catch (e) {
        row.error = (e as Error).message.split('\n')[0];
      }
      process.stderr.write(`${w.id} ${system.id}: ${row.error ?? row.runs.map((r) => `${fmt(r.seconds)} s`).join(', ')}\n`);
      rows.push(row);
    }
    results.set(w.id, rows);
  }

  // The GEMM, ours and PyTorch's; and the float32 training run against the same run in float64.
  const gemmJob = join(dir, 'gemm.job.json');
  writeFileSync(gemmJob, JSON.stringify({ kind: 'gemm', n: 512, reps: 20 }));
  const ours = Array.from({ length: REPS }, () => spawnTimed(process.execPath, ['--import', 'tsx', 'bench/gemm.ts', '512']).out);
  const torchGemm = (env: NodeJS.ProcessEnv) => median(Array.from({ length: REPS }, () => spawnTimed(PYTHON, [torchScript, gemmJob], env).out.gflops));
  const gemm = {
    ours: Object.fromEntries(['gemm', 'forward', 'input_grad', 'weight_grad', 'ts_forward'].map((k) => [k, median(ours.map((o) => o[k]))])),
    relError: Math.max(...ours.map((o) => o.rel_error)),
    torch: torchGemm(oneThread),
    openblas: hasOpenblas ? torchGemm(openblasEnv) : NaN,
  };
  const a = list[0];
  const f64 = JSON.parse(readFileSync(join(dir, `${a.id}.model.json`), 'utf8'));
  f64.training.dtype = 'float64';
  writeFileSync(join(dir, 'A64.model.json'), JSON.stringify(f64));
  const run64 = spawnTimed(process.execPath, ['bin/neurograph.mjs', 'train', join(dir, 'A64.model.json'), ...a.cliData, '--out', join(dir, 'A64.trained.json'), '--json']).out;
  const a32 = results.get('A')![0].runs[0];

  writeResults(report(list, gemm, { f32: a32?.loss ?? NaN, f64: run64.final_loss, seconds64: run64.seconds }));
  process.stdout.write(readFileSync(RESULTS, 'utf8'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function report(list: Workload[], gemm: { ours: Record<string, number>; relError: number; torch: number; openblas: number }, parity: { f32: number; f64: number; seconds64: number }): string {
  const cpu = cpus();
  const out: string[] = [];
  const torchVersion = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  out.push('# Benchmarks', '');
  out.push(`Produced by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,`);
  out.push(`${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, PyTorch ${torchVersion}, in ${fmt((performance.now() - started) / 1000, 0)} s.`);
  out.push(`Load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()} — the 2 cores are shared with other work, so timings jitter.`, '');
  out.push('Every run is a fresh process, as a user meets it. Neurograph: `node bin/neurograph.mjs train model.json <data> --out … --json`;');
  out.push('"training s" is its `seconds` (the training loop, cold JIT included), "command s" the wall time of the whole command');
  out.push('(start-up through tsx, data loading, writing the trained model). The peers run the same network, loss, optimizer, batch');
  out.push('size and rows (CSV exported from the same data) in their own scripts (bench/torch_bench.py, bench/peers/): their');
  out.push('"training s" times the training loop (PyTorch) or fit()/train() (TF.js, brain.js); "command s" includes `import torch`.');
  out.push(`PyTorch runs on one thread (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1); "OpenBLAS" puts ${OPENBLAS_DIR} first on`);
  out.push(`LD_LIBRARY_PATH with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. ${REPS === 3 ? 'Medians of 3.' : 'One run each (--quick).'} "× Neurograph" is the`);
  out.push("peer's training time divided by Neurograph's: above 1, Neurograph is faster.", '');
  for (const w of list) {
    const rows = results.get(w.id)!;
    const ours = median(rows[0].runs.map((r) => r.seconds));
    out.push(`## ${w.id}. ${w.title}`, '');
    const b = w.id === 'B';
    out.push(`| system | training s | command s | × Neurograph | ${b ? 'samples/s | peak RSS MB | ' : ''}final loss |`);
    out.push(`|---|---|---|---|${b ? '---|---|' : ''}---|`);
    for (const row of rows) {
      if (row.error) {
        out.push(`| ${row.system.label} | failed: ${row.error.replace(/\|/g, '/')} | | | ${b ? '| | ' : ''}|`);
        continue;
      }
      const s = median(row.runs.map((r) => r.seconds));
      const wall = median(row.runs.map((r) => r.wall));
      const rss = row.runs.map((r) => r.rssKb).filter((x): x is number => x !== null);
      const extra = b ? `${fmt(row.runs[0].samples / s, 0)} | ${rss.length ? fmt(Math.max(...rss) / 1024, 0) : 'n/a'} | ` : '';
      const times = row.system.id === 'neurograph' ? '1' : `${fmt(s / ours, 2)}×`;
      out.push(`| ${row.system.label} | ${fmt(s)} | ${fmt(wall, 2)} | ${times} | ${extra}${fmt(median(row.runs.map((r) => r.loss)), 4)} |`);
    }
    out.push('');
  }
  const dp = results.get('B')?.find((r) => r.system.id === 'neurograph-2');
  const dp1 = results.get('B')?.[0];
  if (dp && dp1 && !dp.error && !dp1.error) {
    const [t1, t2] = [median(dp1.runs.map((r) => r.seconds)), median(dp.runs.map((r) => r.seconds))];
    out.push('## Data parallelism: B on 1 and 2 workers (cold CLI)', '');
    out.push('| workers | training s | command s | speed-up | final loss |', '|---|---|---|---|---|');
    for (const [k, row, t] of [[1, dp1, t1], [2, dp, t2]] as const) {
      out.push(`| ${k} | ${fmt(t)} | ${fmt(median(row.runs.map((r) => r.wall)), 2)} | ${fmt(t1 / t, 2)}× | ${fmt(median(row.runs.map((r) => r.loss)), 4)} |`);
    }
    out.push('', DATA_PARALLEL_NOTE, '');
  }
  out.push('## GEMM 512² (float32, one thread)', '');
  out.push('| | GFLOP/s |', '|---|---|');
  out.push(`| Neurograph, WebAssembly SIMD: C = A·B | ${fmt(gemm.ours.gemm, 1)} |`);
  out.push(`| Neurograph, Linear forward x·Wᵀ / input gradient dy·W / weight gradient dyᵀ·x | ${fmt(gemm.ours.forward, 1)} / ${fmt(gemm.ours.input_grad, 1)} / ${fmt(gemm.ours.weight_grad, 1)} |`);
  out.push(`| Neurograph, TypeScript fallback (no WebAssembly SIMD), x·Wᵀ | ${fmt(gemm.ours.ts_forward, 2)} |`);
  out.push(`| PyTorch, Debian BLAS | ${fmt(gemm.torch, 1)} |`);
  out.push(`| PyTorch, OpenBLAS pthread | ${fmt(gemm.openblas, 1)} |`, '');
  out.push(`Relative error of the kernel's product against float64 sums of the same inputs, ‖C − C₆₄‖/‖C₆₄‖: ${gemm.relError.toExponential(2)}.`);
  const rel = Math.abs(parity.f32 - parity.f64) / Math.abs(parity.f64);
  out.push(`A trained in float32 (the WebAssembly kernels) ends at loss ${parity.f32}; the same run in float64 (the TypeScript kernels) at ${parity.f64}`);
  out.push(`(relative difference ${rel.toExponential(2)}; the float64 run's training loop took ${fmt(parity.seconds64)} s).`, '');

  // The issue's goals, against this run's medians.
  const seconds = (w: string, id: string) => {
    const row = results.get(w)?.find((r) => r.system.id === id);
    return row && !row.error ? median(row.runs.map((r) => r.seconds)) : NaN;
  };
  const ratio = (w: string, id: string) => seconds(w, id) / seconds(w, 'neurograph');
  const yes = (ok: boolean) => (ok ? 'met' : 'not met');
  out.push('## Goals', '', '| goal | this run | |', '|---|---|---|');
  out.push(`| A ≥ 20× PyTorch | ${fmt(ratio('A', 'torch'), 1)}× (OpenBLAS ${fmt(ratio('A', 'torch-openblas'), 1)}×) | ${yes(ratio('A', 'torch') >= 20)} |`);
  out.push(`| C ≥ 30× PyTorch, and faster than brain.js | ${fmt(ratio('C', 'torch'), 1)}× PyTorch; brain.js takes ${fmt(ratio('C', 'brain'), 2)}× Neurograph's time | ${yes(ratio('C', 'torch') >= 30)}; ${ratio('C', 'brain') > 1 ? 'faster than brain.js' : 'slower than brain.js'} |`);
  const b2 = seconds('B', 'torch-openblas') / seconds('B', 'neurograph-2');
  out.push(`| B ≥ PyTorch with OpenBLAS, one thread | ${fmt(ratio('B', 'torch-openblas'), 2)}× on one worker; ${fmt(b2, 2)}× on two (\`--workers 2\`) | ${yes(Math.max(ratio('B', 'torch-openblas'), b2) >= 1)} |`);
  out.push(`| GEMM 512² ≥ 30 GFLOP/s, one thread | ${fmt(gemm.ours.gemm, 1)} GFLOP/s | ${yes(gemm.ours.gemm >= 30)} |`);
  out.push(`| float32 within 1e-5 relative of float64 | GEMM ${gemm.relError.toExponential(1)}; A's final loss ${rel.toExponential(1)} | ${yes(gemm.relError < 1e-5 && rel < 1e-5)} |`, '');
  out.push(NOTES);
  return `${out.join('\n')}\n`;
}
