/**
 * One training run in a worker thread (started by entry.ts with the start job and a shared control
 * block as `workerData`). Builds the engine's TrainingSession, runs it with RunRunner and posts numbered
 * events to the trainer process; control jobs (pause, resume, step, stop, set_lr) arrive as messages,
 * and a stop also through the shared block, which the session reads between steps.
 * A data-parallel run (training.workers > 1) starts its shard helpers from this same module: with
 * `{ shardHelper: true }` as workerData it is one of them (shardHelper.ts), so the build needs no entry more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrainingSession } from '../../src-engine';
import { isTrainerJob, type TrainerJob } from './protocol';
import { errorMessage, RunRunner, type RunEvent } from './runner';
import { runShardHelper } from './shardHelper';
import { shardThreads } from './shards';

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('worker.ts must run in a worker thread');
  const { job, control } = workerData as { job: TrainerJob; control: SharedArrayBuffer };
  if (!isTrainerJob(job) || job.type !== 'start') throw new Error('worker.ts expects a start job as workerData');
  let seq = 0;
  const emit = (event: RunEvent): void => port.postMessage({ ...event, seq: ++seq });

  let runner: RunRunner;
  try {
    const { model, data, training } = job.run;
    const session = new TrainingSession(model, data, training, { shards: shardThreads({ entry: new URL(import.meta.url) }) });
    runner = new RunRunner(job.runId, session, emit, job.reporting, new Int32Array(control));
  } catch (err) {
    emit({ type: 'failed', runId: job.runId, reason: errorMessage(err) });
    port.close();
    return;
  }
  port.on('message', (msg: unknown) => {
    if (!isTrainerJob(msg) || msg.runId !== job.runId) return;
    if (msg.type === 'pause') runner.pause();
    else if (msg.type === 'resume') runner.resume();
    else if (msg.type === 'step') runner.step();
    else if (msg.type === 'stop') runner.stop();
    else if (msg.type === 'set_lr') runner.setLearningRate(msg.lr);
  });
  runner
    .run()
    .catch((err: unknown) => emit({ type: 'failed', runId: job.runId, reason: errorMessage(err) }))
    .finally(() => port.close());
}

if ((workerData as { shardHelper?: boolean } | null)?.shardHelper) runShardHelper();
else main();
