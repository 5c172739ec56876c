/**
 * One training block, one check: a bad block is refused by name, with the same message, by the CLI,
 * the api and the training panel — before any run starts. And early stopping's reason reaches the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingBlock } from '../../src-engine';
import type { ApiEvent, Project, Reply, Run } from '../../src-main/api/contract';
import { createServices, nodeForkTrainer, type Services } from '../../src-main/services/index';
import { TrainingState } from '../../src-renderer/src/state/training.svelte';
import { REPO } from '../helpers/reference';
import { xorModel } from '../helpers/xor';

const TRAINER_ENTRY = resolve(REPO, 'src-main/trainer/entry.ts');
const good: TrainingBlock = { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 20, batch_size: 'full', seed: 3 };
const BAD: { what: string; block: TrainingBlock; field: string }[] = [
  { what: 'Adam betas [1.5, 0.999]', block: { ...good, optimizer: { name: 'adam', lr: 0.05, betas: [1.5, 0.999] } }, field: 'optimizer.betas' },
  { what: 'lr −1', block: { ...good, optimizer: { name: 'adam', lr: -1 } }, field: 'optimizer.lr' },
  { what: 'epochs 0', block: { ...good, epochs: 0 }, field: 'epochs' },
];

let dir: string;
let services: Services;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-block-'));
  services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(name: string, input: unknown): Promise<T> {
  const reply = (await services.api.handle(name, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

describe('a bad training block is refused by name, identically, from the CLI, the api and the panel', () => {
  for (const { what, block, field } of BAD) {
    it(what, async () => {
      // The panel: its state's issues (the engine's checkTraining on the block it edits).
      const panel = new TrainingState();
      panel.load(block);
      expect(panel.issues.map((i) => i.field)).toEqual([field]);
      const message = panel.issues[0].message;

      // The api: runs.start answers with the field path; no run row is made.
      const project = await ok<Project>('projects.create', { name: what, template: 'xor' });
      const reply = await services.api.handle('runs.start', { projectId: project.id, training: block });
      expect(reply).toEqual({ ok: false, error: { code: 'invalid_training', message, path: `training.${field}` } });
      expect(await ok<unknown[]>('runs.list', { projectId: project.id })).toEqual([]);

      // The CLI: exit 2, the same message and path, nothing written.
      const file = join(dir, `${field}.json`);
      writeFileSync(file, JSON.stringify(xorModel(4, block)));
      const out = join(dir, `${field}-trained.json`);
      const cli = spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), 'train', file, '--dataset', 'xor', '--out', out, '--json'], { encoding: 'utf8' });
      expect(cli.status).toBe(2);
      expect(JSON.parse(cli.stdout.trim().split('\n').at(-1)!)).toEqual({ error: `${file}: training.${field}: ${message}`, code: 'invalid_model', path: `training.${field}` });
      expect(existsSync(out)).toBe(false);
      // …and the same block given by flags on top of a good model is refused by the same check.
      writeFileSync(file, JSON.stringify(xorModel(4, good)));
      if (field === 'epochs') {
        const flags = spawnSync(process.execPath, [resolve(REPO, 'bin/neurograph.mjs'), 'train', file, '--dataset', 'xor', '--epochs', '0', '--out', out, '--json'], { encoding: 'utf8' });
        expect(JSON.parse(flags.stdout.trim().split('\n').at(-1)!)).toEqual({ error: message, code: 'invalid_training', path: 'training.epochs' });
      }
    });
  }
});

describe('early stopping reaches the run', () => {
  it('without a validation split it watches the training loss; the run ends by epoch 4 and the library says why', async () => {
    const project = await ok<Project>('projects.create', { name: 'frozen', template: 'xor' });
    const ended = new Promise<ApiEvent>((done) => {
      const off = services.api.subscribe((e) => e.type === 'run.status' && ['completed', 'stopped', 'failed'].includes(e.status) && (off(), done(e)));
    });
    const training = { ...good, optimizer: { name: 'sgd', lr: 0 }, epochs: 100, early_stopping: { patience: 3 } };
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training });
    expect(await ended).toMatchObject({ runId, status: 'completed', reason: 'stopped early at epoch 4: the training loss has not improved for 3 epochs; weights restored from epoch 1' });
    const run = await ok<Run>('runs.get', { runId });
    expect(run.history).toHaveLength(4);
    expect(run.reason).toMatch(/^stopped early at epoch 4/);
  });
});
