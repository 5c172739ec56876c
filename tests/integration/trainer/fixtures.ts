/** Shared fixtures for the trainer-process tests: the XOR truth table and a small net that can learn it. */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { ModelJson } from '../../../src-engine';
import type { TrainerEvent, TrainerJob } from '../../../src-main/trainer/protocol';

export const TRAINER_ENTRY = resolve(__dirname, '../../../src-main/trainer/entry.ts');

export { XOR, xorTraining } from '../../helpers/xor';
import { xorModel as xor } from '../../helpers/xor';

/** The XOR model with 8 hidden units, the size these trainer tests use. */
export const xorModel = (): ModelJson => xor(8);

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
