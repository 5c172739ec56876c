/** Shared fixtures for the trainer-process tests: the XOR truth table and a small net that can learn it. */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { ModelJson, TrainingBlock } from '../../../src-engine/graph/types';
import type { DataTable } from '../../../src-engine/train/types';
import type { TrainerEvent, TrainerJob } from '../../../src-main/trainer/protocol';

export const TRAINER_ENTRY = resolve(__dirname, '../../../src-main/trainer/entry.ts');

/** XOR: the four rows of its truth table. */
export const XOR: DataTable = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };

export function xorModel(): ModelJson {
  return {
    format: 'neurograph-model',
    version: 1,
    nodes: [
      { id: 'x', type: 'Input', size: 2 },
      { id: 'fc1', type: 'Linear', in: ['x'], units: 8 },
      { id: 'a1', type: 'Tanh', in: ['fc1'] },
      { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 },
      { id: 'y', type: 'Sigmoid', in: ['fc2'] },
    ],
    outputs: ['y'],
  };
}

export function xorTraining(epochs = 1500): TrainingBlock {
  return { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs, batch_size: 'full', seed: 3 };
}

/** Fork the trainer from TS source the way createServices does under Node. */
export function forkTrainer(): ChildProcess {
  return fork(TRAINER_ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export function send(child: ChildProcess, job: TrainerJob): void {
  child.send(job);
}

/** Collects events until `until` returns true (or the timeout passes). */
export function collect(child: ChildProcess, until: (e: TrainerEvent, all: TrainerEvent[]) => boolean, timeoutMs = 60_000): Promise<TrainerEvent[]> {
  return new Promise((resolvePromise, reject) => {
    const all: TrainerEvent[] = [];
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`timed out; events so far: ${all.map((e) => e.type).join(',')}`));
    }, timeoutMs);
    const onMessage = (msg: unknown): void => {
      const e = msg as TrainerEvent;
      all.push(e);
      if (until(e, all)) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolvePromise(all);
      }
    };
    child.on('message', onMessage);
  });
}
