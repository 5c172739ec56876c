/**
 * A web host's services saving as fast as they can while a run trains, for the SIGKILL loop: every
 * save is acknowledged on stdout (`ack save <projectId> <revision> <counter>`, `ack project <id>`)
 * only after its transaction committed. Argv: <library> <trainer entry> <project name>.
 */
import { writeSync } from 'node:fs';
import type { Project, Reply } from '../../../../src-main/api';
import { createServices, nodeForkTrainer } from '../../../../src-main/services';

const [libraryPath, trainerEntry, name] = process.argv.slice(2);
const say = (line: string): void => void writeSync(1, `${line}\n`);
const services = createServices({ libraryPath, trainerEntry, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });

async function ok<T>(request: string, input: unknown): Promise<T> {
  const reply = (await services.api.handle(request, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${request}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

async function main(): Promise<void> {
  const list = await ok<{ id: string; name: string }[]>('projects.list', {});
  const found = list.find((p) => p.name === name);
  let project = found ? await ok<Project>('projects.get', { id: found.id }) : await ok<Project>('projects.create', { name, template: 'xor' });
  await ok('runs.start', { projectId: project.id, training: { ...project.training, epochs: 1_000_000 } });
  say(`ready ${process.pid} ${services.host.trainerPid}`);
  let counter = (project.layout.x?.x ?? 0) as number;
  for (let i = 0; ; i++) {
    counter++;
    const layout = { ...project.layout, x: { x: counter, y: 0 } };
    const saved = await ok<{ revision: number }>('projects.save', { id: project.id, revision: project.revision, graph: project.graph, layout, dataset: project.dataset, training: project.training });
    say(`ack save ${project.id} ${saved.revision} ${counter}`);
    project = { ...project, layout, revision: saved.revision };
    if (i % 10 === 0) {
      const created = await ok<Project>('projects.create', { name: `${name} extra ${process.pid}-${i}` });
      say(`ack project ${created.id}`);
    }
    // A save every few milliseconds: far more often than a person edits, and other writers still get turns.
    await new Promise((r) => setTimeout(r, 3));
  }
}

main().catch((err: unknown) => {
  say(`error ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
