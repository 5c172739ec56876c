/**
 * Saves as fast as SQLite allows, for the SIGKILL loop: a project save and a batch of a run's points
 * in turn, each acknowledged on stdout only after it committed (`ack save <id> <revision>`,
 * `ack points <runId> <last epoch>`). Argv: <library>.
 */
import { writeSync } from 'node:fs';
import { ProjectStore } from '../../../../src-main/services/ProjectStore';

const [path] = process.argv.slice(2);
const say = (line: string): void => void writeSync(1, `${line}\n`);
const store = new ProjectStore({ path, owner: 'app', session: true });
store.markInterruptedRuns();
let project = store.listProjects().find((p) => p.name === 'fast') ? store.getProject(store.listProjects().find((p) => p.name === 'fast')!.id) : store.createProject('fast', 'xor');
const run = store.createRun({ projectId: project.id, training: project.training, graph: project.graph });
say(`ready ${process.pid}`);
for (let epoch = 1; ; epoch += 10) {
  const saved = store.saveProject({ ...project, layout: { ...project.layout, x: { x: epoch, y: 0 } } });
  project = { ...project, revision: saved.revision };
  say(`ack save ${project.id} ${saved.revision}`);
  store.appendMetrics(run, Array.from({ length: 10 }, (_, i) => ({ epoch: epoch + i, loss: 1 / (epoch + i) })));
  say(`ack points ${run.id} ${epoch + 9}`);
}
