/**
 * An app session that stays open with a run training (paused after its first epoch, so it never
 * ends by itself): prints `ready <pid> <projectId> <runId>`. Argv: <library> <trainer entry>.
 */
import { writeSync } from 'node:fs';
import type { Project, Reply } from '../../../../src-main/api';
import { createServices, nodeForkTrainer } from '../../../../src-main/services';

const [libraryPath, trainerEntry] = process.argv.slice(2);
const services = createServices({ libraryPath, trainerEntry, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer, owner: 'app' });

async function ok<T>(request: string, input: unknown): Promise<T> {
  const reply = (await services.api.handle(request, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${request}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

async function main(): Promise<void> {
  const project = await ok<Project>('projects.create', { name: 'first instance', template: 'xor' });
  const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: { ...project.training, epochs: 1_000_000 } });
  await new Promise<void>((resolve) => {
    const off = services.api.subscribe((e) => {
      if (e.type === 'run.metrics' && e.runId === runId) {
        off();
        resolve();
      }
    });
  });
  await ok('runs.pause', { runId });
  writeSync(1, `ready ${process.pid} ${project.id} ${runId}\n`);
  setInterval(() => {}, 1000);
}

main().catch((err: unknown) => {
  writeSync(1, `error ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
