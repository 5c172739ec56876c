/**
 * The trainer process. Forked by the TrainingHost (utilityProcess.fork in the app, child_process.fork
 * under Node). Each started run trains in its own worker thread, so compared runs train in parallel and
 * this thread stays free to relay messages and send a heartbeat every second.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../shared';
import { connectParent } from './port';
import { isTrainerEvent, isTrainerJob, type TrainerEvent, type TrainerJob } from './protocol';
import { errorMessage } from './runner';

export const HEARTBEAT_MS = 1000;

/** The run's worker thread: worker.js beside this module in the built app, worker.ts from source. */
function spawnWorker(job: TrainerJob): Worker {
  return startWorker(new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url), job);
}

function main(): void {
  const parent = connectParent();
  const workers = new Map<string, Worker>();
  const send = (event: TrainerEvent): void => parent.send(event);
  let heartbeatSeq = 0;

  const startRun = (job: Extract<TrainerJob, { type: 'start' }>): void => {
    if (workers.has(job.runId)) {
      send({ type: 'failed', runId: job.runId, seq: 0, reason: `run ${job.runId} is already training` });
      return;
    }
    let ended = false;
    let lastSeq = 0;
    const worker = spawnWorker(job);
    workers.set(job.runId, worker);
    worker.on('message', (msg: unknown) => {
      if (!isTrainerEvent(msg)) return;
      lastSeq = msg.seq;
      if (msg.type === 'finished' || msg.type === 'failed') ended = true;
      send(msg);
    });
    worker.on('error', (err) => {
      if (ended) return;
      ended = true;
      send({ type: 'failed', runId: job.runId, seq: lastSeq + 1, reason: `training thread crashed: ${errorMessage(err)}` });
    });
    worker.on('exit', (code) => {
      workers.delete(job.runId);
      if (ended) return;
      ended = true;
      send({ type: 'failed', runId: job.runId, seq: lastSeq + 1, reason: `training thread exited with code ${code}` });
    });
  };

  parent.onMessage((msg) => {
    if (!isTrainerJob(msg)) return;
    if (msg.type === 'start') startRun(msg);
    else workers.get(msg.runId)?.postMessage(msg);
  });

  const heartbeat = setInterval(() => {
    send({ type: 'heartbeat', runId: '*', seq: ++heartbeatSeq, active: [...workers.keys()] });
  }, HEARTBEAT_MS);

  parent.onDisconnect(() => {
    clearInterval(heartbeat);
    for (const worker of workers.values()) void worker.terminate();
    process.exit(0);
  });
}

main();
