import { parentPort, workerData } from 'node:worker_threads';
import { TrainingSession } from '../../src-engine';

const { model, data, training } = workerData;
try {
  const session = new TrainingSession(model, data, training);
  const flags: { kind: string; node: string; epoch: number }[] = [];
  const t0 = performance.now();
  session.runAll((r) => r.flags.forEach((f) => flags.push({ kind: f.kind, node: f.node, epoch: f.epoch })));
  const seconds = (performance.now() - t0) / 1000;
  const history = session.history.map((p) => ({ epoch: p.epoch, loss: p.loss, val_loss: p.val_loss ?? null }));
  parentPort!.postMessage({ optimizer: training.optimizer, final_loss: history.at(-1)?.loss ?? null, history, seconds, flags });
} catch (e) {
  parentPort!.postMessage({ optimizer: training.optimizer, final_loss: null, history: [], seconds: 0, flags: [], error: (e as Error).message });
}
