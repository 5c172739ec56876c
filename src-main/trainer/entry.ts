/**
 * The trainer process. Forked by the TrainingHost (utilityProcess.fork in the app, child_process.fork
 * under Node). Runs train in a pool of worker threads, one run per thread and as many threads as the
 * machine has cores; runs beyond that wait in a queue, in the order they came. This thread stays free
 * to relay messages and send a heartbeat every second.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../shared';
import { trainerThreads } from './pool';
import { connectParent } from './port';
import { isTrainerEvent, isTrainerJob, type TrainerEvent, type TrainerJob } from './protocol';
import { CONTROL, errorMessage } from './runner';

export const HEARTBEAT_MS = 1000;

type StartJob = Extract<TrainerJob, { type: 'start' }>;


/** The run's worker thread: worker.js beside this module in the built app, worker.ts from source. */
function spawnWorker(job: StartJob, control: SharedArrayBuffer): Worker {
  return startWorker(new URL(`./worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url), { job, control });
}

function main(): void {
  const parent = connectParent();
  const size = trainerThreads();
  const workers = new Map<string, { worker: Worker; control: Int32Array }>();
  const queue: StartJob[] = [];
  const send = (event: TrainerEvent): void => parent.send(event);
  let heartbeatSeq = 0;

  const startNext = (): void => {
    while (workers.size < size && queue.length > 0) startRun(queue.shift()!);
  };

  const startRun = (job: StartJob): void => {
    let ended = false;
    let lastSeq = 0;
    const shared = new SharedArrayBuffer(CONTROL.length * Int32Array.BYTES_PER_ELEMENT);
    const worker = spawnWorker(job, shared);
    workers.set(job.runId, { worker, control: new Int32Array(shared) });
    /** The run is over: its thread leaves the pool at once (it may take a moment to exit) and the next queued run starts. */
    const release = (): void => {
      if (workers.get(job.runId)?.worker !== worker) return;
      workers.delete(job.runId);
      void worker.terminate();
      startNext();
    };
    worker.on('message', (msg: unknown) => {
      if (!isTrainerEvent(msg)) return;
      lastSeq = msg.seq;
      const last = msg.type === 'finished' || msg.type === 'failed';
      if (last) ended = true;
      send(msg);
      if (last) release();
    });
    worker.on('error', (err) => {
      if (ended) return;
      ended = true;
      send({ type: 'failed', runId: job.runId, seq: lastSeq + 1, reason: `training thread crashed: ${errorMessage(err)}` });
    });
    worker.on('exit', (code) => {
      if (!ended) {
        ended = true;
        send({ type: 'failed', runId: job.runId, seq: lastSeq + 1, reason: `training thread exited with code ${code}` });
      }
      release();
    });
  };

  parent.onMessage((msg) => {
    if (!isTrainerJob(msg)) return;
    if (msg.type === 'start') {
      if (workers.has(msg.runId) || queue.some((j) => j.runId === msg.runId)) {
        send({ type: 'failed', runId: msg.runId, seq: 0, reason: `run ${msg.runId} is already training` });
        return;
      }
      queue.push(msg);
      startNext();
      return;
    }
    const running = workers.get(msg.runId);
    if (running) {
      // A stop must land mid-epoch: the session reads this flag between steps.
      if (msg.type === 'stop') Atomics.store(running.control, CONTROL.stop, 1);
      running.worker.postMessage(msg);
      return;
    }
    const queued = queue.findIndex((j) => j.runId === msg.runId);
    if (queued >= 0 && msg.type === 'stop') {
      const [job] = queue.splice(queued, 1);
      send({ type: 'finished', runId: job.runId, seq: 1, model: job.run.model, summary: { outcome: 'stopped', epochs: 0, finalLoss: null, finalAccuracy: null, reason: 'stopped before it started', seconds: 0 } });
    }
  });

  const heartbeat = setInterval(() => {
    send({ type: 'heartbeat', runId: '*', seq: ++heartbeatSeq, active: [...workers.keys()], queued: queue.map((j) => j.runId) });
  }, HEARTBEAT_MS);

  parent.onDisconnect(() => {
    clearInterval(heartbeat);
    for (const { worker } of workers.values()) void worker.terminate();
    process.exit(0);
  });
}

main();
