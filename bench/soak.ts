/**
 * `npm run bench -- --soak SECONDS [--workers N]`: workload B's network and data (784-128-10, batch
 * 64, 8192 MNIST-shaped rows) trained for SECONDS in the trainer process, as the app runs it (forked
 * from source, one run in its worker thread, N data-parallel shards; metrics batched, checkpoints
 * every 5 s), with the trainer's resident memory (VmRSS from /proc, threads included) sampled every
 * 5 s; then a stop. Writes the soak section of bench/RESULTS.md (between its markers; the rest of
 * the file is kept). Not part of `npm test`.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { modelJson, mnistLike } from './workloads';

const root = resolve(import.meta.dirname, '..');
const SAMPLE_MS = 5000;

interface Sample {
  t: number;
  rssMb: number;
  epoch: number;
}

const rssOf = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
};
const peakOf = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

/** Runs the soak; returns its Markdown section (with markers). */
export async function soak(seconds: number, workers: number): Promise<string> {
  const rows = 8192;
  const data = mnistLike(rows);
  // Workload B of workloads.ts, for as many epochs as the time allows.
  const model = modelJson({ sizes: [784, 128, 10], hidden: 'relu', output: null, loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.001 }, batch: 64, epochs: 1_000_000 });
  const training = { ...model.training!, epochs: 1_000_000, workers };
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(', ');
  const child = fork(resolve(root, 'src-main/trainer/entry.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const samples: Sample[] = [];
  let epoch = 0;
  let started = 0;
  let finished: { epochs: number } | null = null;
  let failed: string | null = null;
  const done = new Promise<void>((resolveDone) => {
    child.on('message', (m: { type: string; points?: { epoch: number }[]; summary?: { epochs: number }; reason?: string }) => {
      if (m.type === 'metrics' && m.points?.length) {
        epoch = m.points[m.points.length - 1].epoch;
        if (!started) started = performance.now();
      } else if (m.type === 'finished') {
        finished = m.summary ?? { epochs: epoch };
        resolveDone();
      } else if (m.type === 'failed') {
        failed = m.reason ?? 'failed';
        resolveDone();
      }
    });
    child.on('exit', () => resolveDone());
  });
  child.send({ type: 'start', runId: 'soak', seq: 1, run: { runId: 'soak', model, data: { x: data.x, y: data.y.map((v) => [v]), task: 'classification' }, training } });
  // Sampling starts with the first epoch's metrics (the data has arrived, the run trains).
  while (!started && !failed) await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  while (!failed && performance.now() - t0 < seconds * 1000) {
    samples.push({ t: (performance.now() - t0) / 1000, rssMb: rssOf(child.pid!), epoch });
    process.stderr.write(`soak ${samples.at(-1)!.t.toFixed(0)} s: RSS ${samples.at(-1)!.rssMb.toFixed(0)} MB, epoch ${epoch}\n`);
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  samples.push({ t: (performance.now() - t0) / 1000, rssMb: rssOf(child.pid!), epoch });
  const peak = peakOf(child.pid!);
  child.send({ type: 'stop', runId: 'soak', seq: 2 });
  await done;
  child.kill();
  if (failed) throw new Error(`the soak run failed: ${failed}`);

  // Growth: the last minute against the first minute after warm-up (samples from 60 s on).
  const n = samples.length;
  const settled = samples.filter((s) => s.t >= Math.min(60, seconds / 4));
  const head = settled.slice(0, Math.max(1, Math.round(settled.length / 10)));
  const tail = settled.slice(-Math.max(1, Math.round(settled.length / 10)));
  const growth = mean(tail.map((s) => s.rssMb)) - mean(head.map((s) => s.rssMb));
  const epochs = (finished as { epochs: number } | null)?.epochs ?? epoch;
  const fmt = (x: number) => x.toFixed(0);
  return [
    '<!-- soak:start -->',
    '## Memory over a long run (B, trainer process)',
    '',
    `Produced by \`npm run bench -- --soak ${seconds}${workers !== 1 ? ` --workers ${workers}` : ''}\` (bench/soak.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average before: ${loadBefore}.`,
    `B's network and 8192 rows trained for ${seconds} s in the trainer process (forked as the app forks it; the run in its worker thread${workers > 1 ? `, ${workers} data-parallel shards` : ''}; metrics batched,`,
    `a checkpoint every 5 s): ${epochs} epochs. Resident memory of the trainer process (VmRSS, all its threads), sampled every ${SAMPLE_MS / 1000} s:`,
    '',
    '| start MB | peak MB | end MB | last tenth − first tenth (from 60 s) MB | samples |',
    '|---|---|---|---|---|',
    `| ${fmt(samples[0].rssMb)} | ${fmt(Math.max(peak, ...samples.map((s) => s.rssMb)))} | ${fmt(samples[n - 1].rssMb)} | ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} | ${n} |`,
    '',
    `RSS every minute (MB): ${samples.filter((s, i) => i === 0 || Math.floor(s.t / 60) > Math.floor(samples[i - 1].t / 60)).map((s) => fmt(s.rssMb)).join(', ')}.`,
    'The session keeps one metric point per epoch (its history, ~1 KB each), the only thing that grows by design.',
    '<!-- soak:end -->',
  ].join('\n');
}
