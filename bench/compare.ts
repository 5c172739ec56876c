/**
 * Four optimizers compared in parallel against the same four trained one after the other, through the
 * app's own services (library, datasets, a cold trainer process and its pool of worker threads) as the
 * compare view drives them. Each side gets a fresh trainer process and library, so both start cold.
 * Prints a Markdown section; `--write` puts it into bench/RESULTS.md between its compare markers.
 *
 *   node --import tsx bench/compare.ts [--write] [--epochs 6000]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApiEvent, Project, Reply } from '../src-main/api';
import { createServices, nodeForkTrainer, type Services } from '../src-main/services';

const REPO = resolve(import.meta.dirname, '..');
const OPTIMIZERS = [{ name: 'adam', lr: 0.01 }, { name: 'sgd', lr: 0.03 }, { name: 'rmsprop', lr: 0.003 }, { name: 'momentum', lr: 0.03 }];
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EPOCHS = arg('--epochs', 6000);

async function withServices<T>(fn: (s: Services, ok: <R>(name: string, input: unknown) => Promise<R>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ng-bench-compare-'));
  const services = createServices({
    libraryPath: join(dir, 'library.sqlite'),
    trainerEntry: join(REPO, 'src-main/trainer/entry.ts'),
    trainerExecArgv: ['--import', 'tsx'],
    fork: nodeForkTrainer,
  });
  const ok = async <R>(name: string, input: unknown): Promise<R> => {
    const reply = (await services.api.handle(name, input)) as Reply<R>;
    if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  try {
    return await fn(services, ok);
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Playground default network on the spiral set, the settings of the compare. */
async function project(ok: <R>(name: string, input: unknown) => Promise<R>): Promise<Project> {
  const p = await ok<Project>('projects.create', { name: 'bench', template: 'playground' });
  await ok('projects.save', { id: p.id, revision: p.revision, graph: p.graph, layout: p.layout, dataset: { kind: 'builtin', name: 'spiral' }, training: { ...p.training, epochs: EPOCHS } });
  return ok<Project>('projects.get', { id: p.id });
}

function ended(services: Services, ids: readonly string[]): Promise<void> {
  const left = new Set(ids);
  return new Promise((done) => {
    const off = services.api.subscribe((e: ApiEvent) => {
      if (e.type === 'run.status' && left.has(e.runId) && ['completed', 'stopped', 'failed'].includes(e.status)) {
        left.delete(e.runId);
        if (left.size === 0) {
          off();
          done();
        }
      }
    });
  });
}

/** Each run's own training seconds (its last point's t), as the trainer measured them. */
async function trained(ok: <R>(name: string, input: unknown) => Promise<R>, runIds: readonly string[]): Promise<number[]> {
  const runs = await Promise.all(runIds.map((runId) => ok<{ history: { t?: number }[] }>('runs.get', { runId })));
  return runs.map((r) => r.history.at(-1)?.t ?? NaN);
}

async function parallel(): Promise<{ seconds: number; threads: number; runs: number[] }> {
  return withServices(async (services, ok) => {
    const p = await project(ok);
    const t0 = performance.now();
    const { runIds } = await ok<{ runIds: string[] }>('compare.start', { projectId: p.id, optimizers: OPTIMIZERS });
    await ended(services, runIds);
    const seconds = (performance.now() - t0) / 1000;
    const group = await ok<{ group: { settings: { threads: number } } }>('compare.get', { groupId: (await ok<{ id: string }[]>('compare.list', { projectId: p.id }))[0].id });
    return { seconds, threads: group.group.settings.threads, runs: await trained(ok, runIds) };
  });
}

async function sequential(): Promise<{ seconds: number; runs: number[] }> {
  return withServices(async (services, ok) => {
    const p = await project(ok);
    const t0 = performance.now();
    const ids: string[] = [];
    for (const optimizer of OPTIMIZERS) {
      const { runId } = await ok<{ runId: string }>('runs.start', { projectId: p.id, training: { ...p.training, optimizer } });
      ids.push(runId);
      await ended(services, [runId]);
    }
    return { seconds: (performance.now() - t0) / 1000, runs: await trained(ok, ids) };
  });
}

async function main(): Promise<void> {
  const seq = await sequential();
  const par = await parallel();
  const md = [
    '<!-- compare:start -->',
    '## Compare: four optimizers in parallel vs one after another (bench/compare.ts)',
    '',
    `Produced by \`node --import tsx bench/compare.ts --write\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, Node ${process.version}.`,
    `The Playground default (2-4-2-1 tanh, mse, batch 10) on the spiral set, ${EPOCHS} epochs, optimizers ${OPTIMIZERS.map((o) => o.name).join(', ')};`,
    'through the app\'s services with a fresh (cold) trainer process and library each side, metrics written to the library as in the app.',
    '',
    '| how | wall s (from the request to the last run\'s end, trainer start-up included) | speed-up | each run\'s own training s |',
    '|---|---|---|---|',
    `| one after another (4 × runs.start) | ${seq.seconds.toFixed(2)} | 1 | ${seq.runs.map((t) => t.toFixed(2)).join(', ')} |`,
    `| compared (compare.start, ${par.threads} worker threads) | ${par.seconds.toFixed(2)} | ${(seq.seconds / par.seconds).toFixed(2)}× | ${par.runs.map((t) => t.toFixed(2)).join(', ')} |`,
    '',
    'On 2 cores the host (which writes every metric point to the library) and the trainer\'s own thread share them with the two training threads, so a run takes longer when it trains next to another.',
    '<!-- compare:end -->',
  ].join('\n');
  console.log(md);
  if (process.argv.includes('--write')) {
    const file = join(REPO, 'bench/RESULTS.md');
    const text = readFileSync(file, 'utf8');
    const re = /<!-- compare:start -->[\s\S]*<!-- compare:end -->/;
    writeFileSync(file, re.test(text) ? text.replace(re, md) : `${text.trimEnd()}\n\n${md}\n`);
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
