/**
 * Memory of many queued runs: <n> runs started at once on a project whose data set is the playground
 * circle with <points> points; the trainer's pool trains one per core and queues the rest. Prints the
 * peak RSS (VmHWM) of the host process and of the trainer process, and the wall time until all ended.
 * Run: node --import tsx tests/integration/faults/tools/measure-runs.ts [n=32] [points=20000] [epochs=20]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Project, Reply } from '../../../../src-main/api';
import { createServices, nodeForkTrainer } from '../../../../src-main/services';

const [n, points, epochs] = [Number(process.argv[2] ?? 32), Number(process.argv[3] ?? 20000), Number(process.argv[4] ?? 20)];
const peak = (pid: number | 'self'): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM'))!;
    return Math.round(Number(/(\d+) kB/.exec(line)![1]) / 1024);
  } catch {
    return 0;
  }
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ng-runs-'));
  const s = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: resolve(import.meta.dirname, '../../../../src-main/trainer/entry.ts'), trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
  const ok = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await s.api.handle(name, input)) as Reply<T>;
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  };
  const p = await ok<Project>('projects.create', { name: 'many', template: 'xor' });
  await ok('projects.save', { ...p, dataset: { kind: 'builtin', name: 'circle', points, noise: 0.1 } });
  const baseline = peak('self');
  const ids = new Set<string>();
  const ended = new Promise<void>((done) =>
    s.api.subscribe((e) => {
      if (e.type === 'run.status' && ['completed', 'failed', 'stopped'].includes(e.status) && ids.delete(e.runId) && ids.size === 0) done();
    }),
  );
  const t0 = performance.now();
  let trainerPeak = 0;
  const sampler = setInterval(() => (trainerPeak = Math.max(trainerPeak, s.host.trainerPid ? peak(s.host.trainerPid) : 0)), 50);
  for (let i = 0; i < n; i++) ids.add((await ok<{ runId: string }>('runs.start', { projectId: p.id, training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs, batch_size: 256, seed: i } })).runId);
  await ended;
  clearInterval(sampler);
  console.log(JSON.stringify({ runs: n, points, epochs, threads: s.host.threads, hostBaselineMB: baseline, hostPeakMB: peak('self'), trainerPeakMB: trainerPeak, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) }));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
